/** The only reader of process.env: a typed, frozen configuration validated at boot. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  port: number
  host: string
  /** postgres://… → PostgreSQL; undefined → embedded PGlite in pgliteDir. */
  databaseUrl: string | undefined
  /** Directory of the embedded database; 'memory://' keeps it in memory (tests). */
  pgliteDir: string
  bootstrapAdminKey: string | undefined
  demoData: boolean
  demoEnterprises: number
  demoSeed: number
  logLevel: LogLevel
  /** Largest request body in bytes for ordinary routes; batch routes allow batchBodyLimit. */
  bodyLimit: number
  batchBodyLimit: number
  /** Directory of the shipped rule sets (rules/*.json and rules/tests/*.cases.json). */
  rulesDir: string
  /** Activate changed rule files at boot (and on edit with rulesWatch) without a second approval. */
  rulesFileActivation: boolean
  rulesWatch: boolean
  /** Directory of the shipped models (models/<name>/<version>/…), stored in the registry at boot. */
  modelsDir: string
  /** A decision not ready within this many milliseconds answers 503 (and is not recorded). */
  decisionDeadlineMs: number
  /** A prospect's lead goes to the nearest branch within this many km when no branch serves its region. */
  leadAssignRadiusKm: number
  /** Pause of the online feature store's refresher between passes once current (ms); 0 turns it off. */
  featureStoreRefreshMs: number
  /** Enterprises the refresher assembles per batch. */
  featureStoreBatch: number
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`)
  const value = Number(raw)
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`)
  return value
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const v = raw.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(v)) return true
  if (['0', 'false', 'no', 'off'].includes(v)) return false
  throw new ConfigError(name, `must be one of 1/0, true/false, yes/no, on/off; got "${raw}"`)
}

function databaseUrlVar(env: Env): string | undefined {
  const raw = env.DATABASE_URL?.trim()
  if (!raw) return undefined
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql:// (leave it empty for the embedded database)')
  }
  try {
    new URL(raw)
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL')
  }
  return raw
}

/** Reads and validates the configuration; throws ConfigError naming the variable on a bad value. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const databaseUrl = databaseUrlVar(env)
  const host = env.HOST?.trim() || '127.0.0.1'
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('HOST', `is not a host name or address: "${host}"`)
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`)
  const bootstrapAdminKey = env.BOOTSTRAP_ADMIN_KEY?.trim() || undefined
  if (bootstrapAdminKey !== undefined && bootstrapAdminKey.length < 16) {
    throw new ConfigError('BOOTSTRAP_ADMIN_KEY', 'must be at least 16 characters long')
  }
  return Object.freeze({
    port: intVar(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    pgliteDir: env.PGLITE_DIR?.trim() || './data/pglite',
    bootstrapAdminKey,
    demoData: boolVar(env, 'DEMO_DATA', databaseUrl === undefined),
    demoEnterprises: intVar(env, 'DEMO_ENTERPRISES', 20_000, 0, 10_000_000),
    demoSeed: intVar(env, 'DEMO_SEED', 42, 0, 2 ** 31 - 1),
    logLevel,
    bodyLimit: intVar(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    batchBodyLimit: intVar(env, 'BATCH_BODY_LIMIT_BYTES', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    rulesDir: env.RULES_DIR?.trim() || './rules',
    rulesFileActivation: boolVar(env, 'RULES_FILE_ACTIVATION', databaseUrl === undefined),
    rulesWatch: boolVar(env, 'RULES_WATCH', false),
    modelsDir: env.MODELS_DIR?.trim() || './models',
    decisionDeadlineMs: intVar(env, 'DECISION_DEADLINE_MS', 800, 10, 60_000),
    leadAssignRadiusKm: intVar(env, 'LEAD_ASSIGN_RADIUS_KM', 10, 0, 1000),
    featureStoreRefreshMs: intVar(env, 'FEATURE_STORE_REFRESH_MS', 1000, 0, 86_400_000),
    featureStoreBatch: intVar(env, 'FEATURE_STORE_BATCH', 500, 1, 10_000),
  })
}

/** A configuration for tests and tools: defaults with overrides, no environment. */
export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  return Object.freeze({
    ...loadConfig({}), demoData: false, logLevel: 'silent' as LogLevel, pgliteDir: 'memory://', rulesFileActivation: true,
    // Tests deploy the models they need; the shipped ones are checked by their own test (booting them costs seconds).
    modelsDir: './.tmp/no-shipped-models',
    // The feature store's background refresher is off: tests that use the store refresh it explicitly.
    featureStoreRefreshMs: 0,
    ...overrides,
  })
}
