terraform {
  required_version = ">= 1.6"
  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
    # Renders the Kustomize overlay (infra/k8s) and applies what it renders.
    kustomization = {
      source  = "kbst/kustomization"
      version = "~> 0.9"
    }
  }
}
