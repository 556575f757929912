output "namespace" {
  description = "The namespace the API runs in."
  value       = kubernetes_namespace_v1.helpdesk.metadata[0].name
}

output "url" {
  description = "The public address, for the smoke check after a deploy."
  value       = "https://${var.hostname}"
}

output "image" {
  description = "The image this rollout runs."
  value       = "${var.image_repository}:${var.image_tag}@${var.image_digest}"
}

output "migration_job" {
  description = "The name of this release's migration job."
  value       = "helpdesk-migrate-${local.short_tag}"
}
