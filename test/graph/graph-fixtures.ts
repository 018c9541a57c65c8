import type { EnterpriseRow, PersonRow, RelationRow, RelationType } from '../../src/enterprises/enterprises.types.js'

export function ent(uscc: string, extra: Partial<EnterpriseRow> = {}): EnterpriseRow {
  return {
    uscc, name: uscc, establishedOn: '2015-01-01', registeredCapital: 1_000_000, industryCode: 'C3311',
    regionCode: '330100', status: 'ACTIVE', ...extra,
  }
}

export function person(id: string, blacklisted = false): PersonRow {
  return { id, nameMasked: '张*', birthYear: 1980, blacklisted }
}

/** Relation between enterprises, or from a person when `from` starts with "p". */
export function rel(type: RelationType, from: string, to: string, extra: Partial<RelationRow> = {}): RelationRow {
  return {
    type, fromType: from.startsWith('p') ? 'person' : 'enterprise', fromId: from,
    toType: to.startsWith('p') ? 'person' : 'enterprise', toId: to, ...extra,
  }
}
