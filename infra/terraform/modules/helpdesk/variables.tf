variable "environment" {
  description = "Which overlay of infra/k8s/overlays to deploy: staging or production."
  type        = string
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "namespace" {
  description = "The namespace the API runs in; it must match the overlay's."
  type        = string
}

variable "overlays_dir" {
  description = "Path to infra/k8s/overlays."
  type        = string
}

variable "image_repository" {
  description = "The container image, without a tag."
  type        = string
  default     = "ghcr.io/helpdesk/helpdesk"
}

variable "image_tag" {
  description = "The image tag to roll out: the commit it was built from."
  type        = string
  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.image_tag))
    error_message = "image_tag must be a commit hash (7 to 40 hex digits), never a moving tag."
  }
}

variable "image_digest" {
  description = "The pushed image's digest (sha256:…): pods run exactly what was tested."
  type        = string
  validation {
    condition     = can(regex("^sha256:[0-9a-f]{64}$", var.image_digest))
    error_message = "image_digest must be sha256: followed by 64 hex digits."
  }
}

variable "hostname" {
  description = "The public host name the ingress serves."
  type        = string
}

variable "postgres_host" {
  description = "The managed PostgreSQL's host name: the network policy allows it by name."
  type        = string
}

variable "database_url" {
  description = "The application role's connection URL (bound by row-level security)."
  type        = string
  sensitive   = true
}

variable "database_admin_url" {
  description = "The schema owner's connection URL, used by the migration job only."
  type        = string
  sensitive   = true
}

variable "qdrant_api_key" {
  description = "The Qdrant server's API key."
  type        = string
  sensitive   = true
}

variable "replicas" {
  description = "The autoscaler's bounds."
  type = object({
    min = number
    max = number
  })
  default = {
    min = 2
    max = 6
  }
  validation {
    condition     = var.replicas.min >= 2 && var.replicas.max >= var.replicas.min
    error_message = "At least two replicas (the disruption budget keeps one), and max >= min."
  }
}

variable "migration_timeout" {
  description = "How long the migration job may take before the rollout is abandoned."
  type        = string
  default     = "15m"
}
