import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import type { DatabaseHandle } from '../../src/db/create-database.js'
import type { BranchRow, EnterpriseRow, PersonRow, RelationRow } from '../../src/enterprises/enterprises.types.js'
import { SYSTEM_ACTOR } from '../../src/shared/roles.js'
import { generatePortfolio } from '../../src/synth/generate.js'
import { freshPglite, freshPostgres } from './bench-db.js'
import type { Row } from './table.js'

const ENTERPRISES = Number(process.env.BENCH_INGEST_ENTERPRISES ?? 100_000)
const RELATIONS = Number(process.env.BENCH_INGEST_RELATIONS ?? 300_000)
const BATCH = 10_000

interface Data { branches: BranchRow[]; persons: PersonRow[]; enterprises: EnterpriseRow[]; relations: RelationRow[] }

function collect(): Data {
  const d: Data = { branches: [], persons: [], enterprises: [], relations: [] }
  for (const b of generatePortfolio({ enterprises: ENTERPRISES, seed: 7 })) {
    if (b.kind === 'branches') d.branches.push(...b.rows)
    else if (b.kind === 'persons') d.persons.push(...b.rows)
    else if (b.kind === 'enterprises') d.enterprises.push(...b.rows)
    else if (b.kind === 'relations' && d.relations.length < RELATIONS) d.relations.push(...b.rows.slice(0, RELATIONS - d.relations.length))
  }
  return d
}

/** Through the real HTTP API on a listening server: batches of 10,000 rows, one request at a time. */
async function viaApi(handle: DatabaseHandle, d: Data): Promise<number> {
  const { app, services } = await buildApp(testConfig({ batchBodyLimit: 64 * 1024 * 1024 }), handle)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const key = (await services.apiKeys.create({ name: 'bench', role: 'data' }, SYSTEM_ACTOR)).key
  const post = async (path: string, field: string, rows: unknown[]) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const res = await fetch(address + path, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ [field]: rows.slice(i, i + BATCH) }),
      })
      const body = (await res.json()) as { accepted: number; rejected: unknown[] }
      if (res.status !== 200 || body.rejected.length > 0) throw new Error(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 500)}`)
    }
  }
  await post('/v1/branches/batch', 'branches', d.branches)
  await post('/v1/persons/batch', 'persons', d.persons)
  const t0 = performance.now()
  await post('/v1/enterprises/batch', 'enterprises', d.enterprises)
  await post('/v1/relations/batch', 'relations', d.relations)
  const seconds = (performance.now() - t0) / 1000
  await app.close()
  return (d.enterprises.length + d.relations.length) / seconds
}

/** The anchor: plain multi-row INSERT … VALUES with pg, 1,000 rows a statement, no validation, no upsert. */
async function plainInsert(url: string, d: Data): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const insert = async (table: string, cols: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000)
      const params: unknown[] = []
      const tuples = chunk.map((r) => '(' + r.map((v) => { params.push(v); return `$${params.length}` }).join(',') + ')')
      await client.query(`insert into ${table} (${cols.join(',')}) values ${tuples.join(',')}`, params)
    }
  }
  await insert('branches', ['id', 'name', 'parent_id', 'region_code', 'lat', 'lng'], d.branches.map((b) => [b.id, b.name, b.parentId ?? null, b.regionCode, b.lat, b.lng]))
  await insert('persons', ['id', 'name_masked', 'birth_year', 'blacklisted'], d.persons.map((p) => [p.id, p.nameMasked, p.birthYear, p.blacklisted ?? false]))
  const t0 = performance.now()
  await insert('enterprises',
    ['uscc', 'name', 'established_on', 'registered_capital', 'paid_in_capital', 'industry_code', 'region_code', 'address', 'lat', 'lng', 'status', 'employees', 'is_listed', 'tags', 'phone_hash', 'address_hash', 'legal_rep_person_id', 'customer_branch_id', 'relationship_manager_id', 'blacklisted'],
    d.enterprises.map((e) => [e.uscc, e.name, e.establishedOn, e.registeredCapital, e.paidInCapital ?? null, e.industryCode, e.regionCode, e.address ?? null, e.lat ?? null, e.lng ?? null, e.status, e.employees ?? null, e.isListed ?? false, e.tags ?? [], e.phoneHash ?? null, e.addressHash ?? null, e.legalRepPersonId ?? null, e.customerBranchId ?? null, e.relationshipManagerId ?? null, e.blacklisted ?? false]))
  await insert('relations', ['type', 'src_type', 'src_id', 'dst_type', 'dst_id', 'ratio', 'amount', 'since', 'until'],
    d.relations.map((r) => [r.type, r.fromType, r.fromId, r.toType, r.toId, r.ratio ?? null, r.amount ?? null, r.since ?? null, r.until ?? null]))
  const seconds = (performance.now() - t0) / 1000
  await client.end()
  return (d.enterprises.length + d.relations.length) / seconds
}

export async function runIngestBench(): Promise<Row[]> {
  console.error(`generating ${ENTERPRISES} enterprises and ${RELATIONS} relations`)
  const d = collect()
  console.error('plain pg multi-row INSERT (anchor)')
  const plainDb = await freshPostgres('ce_bench_plain')
  const plain = await plainInsert(plainDb.url, d)
  await plainDb.db.destroy()
  console.error('API → PostgreSQL')
  const pgDb = await freshPostgres('ce_bench_api')
  const apiPg = await viaApi(pgDb, d)
  await pgDb.db.destroy()
  console.error('API → PGlite')
  const liteDb = await freshPglite()
  const apiLite = await viaApi(liteDb, d)
  await liteDb.db.destroy()
  const what = `${d.enterprises.length / 1000}k enterprises + ${d.relations.length / 1000}k relations`
  return [
    { bench: 'ingest', what: `plain pg INSERT (anchor), ${what}`, value: plain, unit: 'rows/s' },
    { bench: 'ingest', what: 'API batch → PostgreSQL', value: apiPg, unit: 'rows/s', ratio: apiPg / plain, target: '≥ 0.7× plain' },
    { bench: 'ingest', what: 'API batch → PGlite', value: apiLite, unit: 'rows/s', ratio: apiLite / plain },
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./table.js')
  printTable(await runIngestBench())
}
