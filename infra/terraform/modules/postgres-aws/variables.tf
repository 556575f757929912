variable "name" {
  description = "The instance identifier, e.g. helpdesk-staging."
  type        = string
}

variable "vpc_id" {
  description = "The VPC the cluster's nodes run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the database, in at least two zones."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "A DB subnet group needs subnets in at least two availability zones."
  }
}

variable "client_cidr_blocks" {
  description = "The cluster's node or pod ranges, the only sources allowed to connect."
  type        = list(string)
}

variable "instance_class" {
  description = "The RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "allocated_storage_gb" {
  description = "Initial storage; it grows by itself up to max_allocated_storage_gb."
  type        = number
  default     = 50
}

variable "max_allocated_storage_gb" {
  description = "The ceiling of storage autoscaling."
  type        = number
  default     = 500
}

variable "multi_az" {
  description = "A standby in another zone (production)."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Point-in-time recovery window."
  type        = number
  default     = 14
  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "Keep between 7 and 35 days of backups."
  }
}

variable "kms_key_arn" {
  description = "The customer-managed key that encrypts storage, backups and Performance Insights."
  type        = string
}

variable "monitoring_role_arn" {
  description = "The IAM role RDS Enhanced Monitoring publishes with."
  type        = string
}
