output "host" {
  description = "The endpoint's host name (the network policy allows it by name)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "The endpoint's port."
  value       = aws_db_instance.this.port
}

output "master_user_secret_arn" {
  description = "The Secrets Manager secret holding the master credentials."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.this.id
}
