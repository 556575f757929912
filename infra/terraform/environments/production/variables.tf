variable "region" {
  description = "The AWS region of the database."
  type        = string
  default     = "eu-west-1"
}

variable "kubeconfig_path" {
  description = "The kubeconfig the pipeline writes for the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "The context of the target cluster in that kubeconfig."
  type        = string
}

variable "vpc_id" {
  description = "The cluster's VPC."
  type        = string
}

variable "database_subnet_ids" {
  description = "Private subnets for the database."
  type        = list(string)
}

variable "cluster_cidr_blocks" {
  description = "The cluster's pod ranges, allowed to reach the database."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "The key that encrypts the database."
  type        = string
}

variable "monitoring_role_arn" {
  description = "The RDS Enhanced Monitoring role."
  type        = string
}

variable "image_repository" {
  description = "The container image, without a tag."
  type        = string
  default     = "ghcr.io/helpdesk/helpdesk"
}

variable "image_tag" {
  description = "The commit to deploy."
  type        = string
}

variable "image_digest" {
  description = "The digest the pipeline pushed for that commit."
  type        = string
}

variable "database_url" {
  description = "The application role's URL (from the GitHub environment's secrets)."
  type        = string
  sensitive   = true
}

variable "database_admin_url" {
  description = "The schema owner's URL (from the GitHub environment's secrets)."
  type        = string
  sensitive   = true
}

variable "qdrant_api_key" {
  description = "The Qdrant server's API key (from the GitHub environment's secrets)."
  type        = string
  sensitive   = true
}
