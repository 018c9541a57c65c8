/**
 * The anchor of the decisions benchmark: a bare Fastify route that durably inserts one 2 KB jsonb row per
 * request into PostgreSQL (synchronous commit, the server's defaults) — the physical limit of a recorded decision.
 */
import Fastify from 'fastify'
import pg from 'pg'

const url = process.env.DATABASE_URL!
const port = Number(process.env.PORT ?? 3912)
const pool = new pg.Pool({ connectionString: url, max: 10 })
await pool.query('create table if not exists bench_rows (id bigserial primary key, body jsonb not null, at timestamptz not null default now())')
const app = Fastify({ logger: false })
app.post('/insert', async (req) => {
  const r = await pool.query('insert into bench_rows (body) values ($1) returning id', [JSON.stringify(req.body)])
  return { id: r.rows[0].id }
})
await app.listen({ port, host: '127.0.0.1' })
console.log('ready')
