# Managed PostgreSQL 15 on AWS RDS for the helpdesk: encrypted with a customer key, TLS
# enforced, no public address, reachable only from the cluster, point-in-time backups,
# deletion protection. The master password lives in Secrets Manager (managed by RDS and
# rotated there); the application role is created by `helpdesk migrate`.

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL for ${var.name}: from the cluster only"
  vpc_id      = var.vpc_id

  ingress {
    description = "PostgreSQL from the cluster"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.client_cidr_blocks
  }
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.name}-postgres15"
  family = "postgres15"

  # Plain connections are refused: every client speaks TLS.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157:multi_az is the caller's choice: production keeps a standby, staging saves its cost
  identifier     = var.name
  engine         = "postgres"
  engine_version = "15"
  instance_class = var.instance_class
  db_name        = "helpdesk"
  username       = "helpdesk"

  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  multi_az               = var.multi_az

  backup_retention_period   = var.backup_retention_days
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = var.kms_key_arn
  monitoring_interval                 = 30
  monitoring_role_arn                 = var.monitoring_role_arn
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
}
