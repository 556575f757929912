output "url" {
  description = "Where the smoke check runs."
  value       = module.helpdesk.url
}

output "image" {
  description = "The image now rolled out."
  value       = module.helpdesk.image
}

output "postgres_host" {
  description = "The database endpoint."
  value       = module.postgres.host
}
