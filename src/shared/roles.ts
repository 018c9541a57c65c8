export const ROLES = ['admin', 'origination', 'risk', 'model', 'branch', 'hq', 'data'] as const
export type Role = (typeof ROLES)[number]

/** Who is calling: set on every authenticated request. */
export interface Actor {
  keyId: string
  name: string
  role: Role
  /** Set for branch keys: they see only their branch's leads and warnings. */
  branchId: string | null
}

/** The actor recorded for work the service does by itself (boot, seeding, file activation). */
export const SYSTEM_ACTOR: Actor = { keyId: 'system', name: 'system', role: 'admin', branchId: null }
