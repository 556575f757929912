# Production: the managed PostgreSQL and the API on the production cluster. Applied by the
# delivery pipeline (.github/workflows/deliver.yml) with the image tag of the commit.

terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
    kustomization = {
      source  = "kbst/kustomization"
      version = "~> 0.9"
    }
  }

  # State in S3, encrypted, with S3's own lock file (Terraform >= 1.10).
  backend "s3" {
    bucket       = "helpdesk-terraform-state"
    key          = "production/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      project     = "helpdesk"
      environment = "production"
    }
  }
}

provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kube_context
}

provider "kustomization" {
  kubeconfig_path = var.kubeconfig_path
  context         = var.kube_context
}

module "postgres" {
  source = "../../modules/postgres-aws"

  name                = "helpdesk-production"
  vpc_id              = var.vpc_id
  subnet_ids          = var.database_subnet_ids
  client_cidr_blocks  = var.cluster_cidr_blocks
  instance_class      = "db.r7g.large"
  multi_az            = true
  kms_key_arn         = var.kms_key_arn
  monitoring_role_arn = var.monitoring_role_arn
}

module "helpdesk" {
  source = "../../modules/helpdesk"

  environment        = "production"
  namespace          = "helpdesk"
  overlays_dir       = "${path.root}/../../../k8s/overlays"
  image_repository   = var.image_repository
  image_tag          = var.image_tag
  image_digest       = var.image_digest
  hostname           = "helpdesk.example.com"
  postgres_host      = module.postgres.host
  database_url       = var.database_url
  database_admin_url = var.database_admin_url
  qdrant_api_key     = var.qdrant_api_key
  replicas = {
    min = 3
    max = 20
  }
}
