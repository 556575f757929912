# Deploys one environment of the helpdesk API: its namespace (Pod Security "restricted"),
# its secrets, the schema migration (run to completion first), then everything the
# overlay renders. The overlay lives in infra/k8s; this module only sets what differs per
# rollout: the image tag, host names, replica bounds.

locals {
  short_tag = substr(var.image_tag, 0, 12)
  labels = {
    "app.kubernetes.io/part-of"    = "helpdesk"
    "app.kubernetes.io/managed-by" = "terraform"
  }
}

resource "kubernetes_namespace_v1" "helpdesk" {
  metadata {
    name = var.namespace
    labels = merge(local.labels, {
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
    })
  }
}

# The only secrets the pods see, by reference (secretKeyRef), never in the ConfigMap.
resource "kubernetes_secret_v1" "database" {
  metadata {
    name      = "helpdesk-database"
    namespace = kubernetes_namespace_v1.helpdesk.metadata[0].name
    labels    = local.labels
  }
  data = {
    url       = var.database_url
    admin-url = var.database_admin_url
  }
}

resource "kubernetes_secret_v1" "qdrant" {
  metadata {
    name      = "helpdesk-qdrant"
    namespace = kubernetes_namespace_v1.helpdesk.metadata[0].name
    labels    = local.labels
  }
  data = {
    api-key = var.qdrant_api_key
  }
}

data "kustomization_overlay" "helpdesk" {
  resources = ["${var.overlays_dir}/${var.environment}"]
  namespace = var.namespace

  images {
    name     = "ghcr.io/helpdesk/helpdesk"
    new_name = var.image_repository
    new_tag  = var.image_tag
    digest   = var.image_digest
  }

  # A Job's template cannot change: each release migrates with a Job of its own.
  patches {
    target {
      kind = "Job"
      name = "helpdesk-migrate"
    }
    patch = <<-EOF
      - op: replace
        path: /metadata/name
        value: helpdesk-migrate-${local.short_tag}
    EOF
  }

  patches {
    target {
      kind = "Ingress"
      name = "helpdesk"
    }
    patch = <<-EOF
      - op: replace
        path: /spec/tls/0/hosts/0
        value: ${var.hostname}
      - op: replace
        path: /spec/rules/0/host
        value: ${var.hostname}
    EOF
  }

  patches {
    target {
      kind = "CiliumNetworkPolicy"
    }
    patch = <<-EOF
      - op: replace
        path: /spec/egress/1/toFQDNs/0/matchName
        value: ${var.postgres_host}
    EOF
  }

  patches {
    target {
      kind = "HorizontalPodAutoscaler"
      name = "helpdesk"
    }
    patch = <<-EOF
      - op: replace
        path: /spec/minReplicas
        value: ${var.replicas.min}
      - op: replace
        path: /spec/maxReplicas
        value: ${var.replicas.max}
    EOF
  }

  kustomize_options {
    load_restrictor = "none"
  }
}

locals {
  manifests = data.kustomization_overlay.helpdesk.manifests
  # Priority 0 (namespaces, CRDs) and 2 (webhooks) hold nothing here; the migration job is
  # applied on its own, before the rest.
  migration_ids = toset([for id in data.kustomization_overlay.helpdesk.ids : id if jsondecode(local.manifests[id]).kind == "Job"])
  release_ids   = toset([for id in data.kustomization_overlay.helpdesk.ids : id if jsondecode(local.manifests[id]).kind != "Job"])
  # What the job needs to reach PostgreSQL: its policy and its client certificate.
  prerequisite_kinds = ["CiliumNetworkPolicy", "NetworkPolicy", "ServiceAccount", "Issuer", "Certificate"]
  prerequisite_ids   = toset([for id in local.release_ids : id if contains(local.prerequisite_kinds, jsondecode(local.manifests[id]).kind)])
  rollout_ids        = setsubtract(local.release_ids, local.prerequisite_ids)
}

resource "kustomization_resource" "prerequisites" {
  for_each   = local.prerequisite_ids
  manifest   = local.manifests[each.value]
  depends_on = [kubernetes_secret_v1.database, kubernetes_secret_v1.qdrant]
}

# Waits for the job to complete: a failed migration stops the rollout here, and the
# replicas in service keep running the previous release.
resource "kustomization_resource" "migration" {
  for_each   = local.migration_ids
  manifest   = local.manifests[each.value]
  wait       = true
  depends_on = [kustomization_resource.prerequisites]
  timeouts {
    create = var.migration_timeout
    update = var.migration_timeout
  }
}

resource "kustomization_resource" "rollout" {
  for_each   = local.rollout_ids
  manifest   = local.manifests[each.value]
  wait       = true
  depends_on = [kustomization_resource.migration]
  timeouts {
    create = "10m"
    update = "10m"
  }
}
