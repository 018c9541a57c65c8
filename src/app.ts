import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import type { DatabaseHandle } from './db/create-database.js'
import { createAjv } from './http/ajv.js'
import { registerAuth } from './http/auth.js'
import { createMetrics, registerMetrics } from './http/metrics.js'
import { registerOpenApi, type RouteInfo } from './http/openapi.js'
import { registerProblemHandlers } from './http/problem.js'
import { createApiKeysService } from './api-keys/api-keys.service.js'
import { apiKeysRoutes } from './api-keys/api-keys.routes.js'
import { createEnterprisesService, type ReferenceChange } from './enterprises/enterprises.service.js'
import { enterprisesRoutes } from './enterprises/enterprises.routes.js'
import { healthRoutes } from './health/health.routes.js'
import { createFeaturesService } from './features/features.service.js'
import { createFeatureStore } from './features/feature-store.js'
import { featuresRoutes } from './features/features.routes.js'
import { createNotifier } from './db/notify.js'
import { createRulesService, type Logger } from './rules/rules.service.js'
import { rulesRoutes } from './rules/rules.routes.js'
import { syncRuleFiles, watchRuleFiles } from './rules/rule-files.js'
import { createGraphService } from './graph/graph.service.js'
import { graphRoutes } from './graph/graph.routes.js'
import { createModelsService } from './models/models.service.js'
import { modelsRoutes } from './models/models.routes.js'
import { createWarningsService } from './warnings/warnings.service.js'
import { warningsRoutes } from './warnings/warnings.routes.js'
import { createDecisionsService } from './decisions/decisions.service.js'
import { decisionsRoutes } from './decisions/decisions.routes.js'
import { createLeadsService } from './leads/leads.service.js'
import { leadsRoutes } from './leads/leads.routes.js'

export interface App {
  app: FastifyInstance
  services: ReturnType<typeof createServices>
  /** Every route with the roles it admits (null: public). */
  routes: RouteInfo[]
}

function createServices(handle: DatabaseHandle, config: Readonly<Config>, log: Logger) {
  const { db } = handle
  const notifier = createNotifier(handle, (err) => log.warn({ err }, 'LISTEN connection lost; falling back to polling'))
  const graph = createGraphService(db, { log })
  // Graph features follow ingest in the background, one change after another, so an ingest answer does not wait.
  let graphUpdates: Promise<unknown> = Promise.resolve()
  const onReferenceChange = (change: ReferenceChange) => {
    graphUpdates = graphUpdates.then(() => graph.apply(change)).catch((err) => log.error({ err }, 'incremental graph update failed'))
  }
  const features = createFeaturesService(db)
  // The embedded PGlite runs its queries on the event loop: smaller refresher batches keep requests flowing.
  const featureStore = createFeatureStore(db, {
    intervalMs: config.featureStoreRefreshMs,
    batch: handle.kind === 'pglite' ? Math.min(config.featureStoreBatch, 100) : config.featureStoreBatch,
    log: { info: (m) => log.info(m), warn: (o, m) => log.warn(o, m) },
  })
  const rules = createRulesService(db, notifier, { rulesDir: config.rulesDir, log })
  const models = createModelsService(db, { notifier, features, log, modelsDir: config.modelsDir })
  const decisions = createDecisionsService(db, { rules, models }, { deadlineMs: config.decisionDeadlineMs, log })
  rules.setBacktest((id, content) => (['admission', 'anti-fraud', 'strategy'].includes(id)
    ? decisions.simulate(id, { ruleSet: content, last: 1000, pageSize: 20 }) : Promise.resolve(null)))
  return {
    notifier,
    graph,
    /** Resolves when every queued incremental graph update has been written (tests, shutdown). */
    graphSettled: () => graphUpdates,
    apiKeys: createApiKeysService(db),
    enterprises: createEnterprisesService(db, [onReferenceChange]),
    features,
    featureStore,
    rules,
    models,
    decisions,
    warnings: createWarningsService(db, { rules, graph, notifier, log }),
    leads: createLeadsService(db, { rules, features, models, graph, log, radiusKm: config.leadAssignRadiusKm }),
  }
}

/** The composition root: creates the services and registers every route plugin explicitly. */
export async function buildApp(config: Readonly<Config>, handle: DatabaseHandle): Promise<App> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.authorization'] },
    bodyLimit: config.bodyLimit,
    return503OnClosing: true,
    // Idle keep-alive sockets close at once on shutdown; sockets with a request in flight finish it first.
    forceCloseConnections: 'idle',
    requestIdHeader: 'x-request-id',
  })
  const bodyAjv = createAjv({ coerce: false })
  const textAjv = createAjv({ coerce: true })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema))

  // While shutting down, answers to in-flight requests close their sockets, so keep-alive clients do not hold
  // the shutdown open until their idle timeout.
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onSend', async (_request, reply) => { if (closing) reply.header('connection', 'close') })

  const services = createServices(handle, config, app.log)
  const fileSync = { activate: config.rulesFileActivation, log: app.log }
  await syncRuleFiles(handle.db, services.rules, config.rulesDir, fileSync)
  await services.rules.start()
  await services.models.start()
  const watcher = config.rulesWatch ? watchRuleFiles(handle.db, services.rules, config.rulesDir, fileSync) : undefined
  app.addHook('onClose', async () => {
    watcher?.close()
    services.rules.stop()
    await services.featureStore.stop()
    await services.models.stop()
    await services.graphSettled()
    await services.notifier.close()
  })
  const routes: RouteInfo[] = []
  registerProblemHandlers(app)
  await registerOpenApi(app, routes)
  const metrics = createMetrics()
  registerMetrics(app, metrics)
  services.models.registerGauges(metrics.registry)
  registerAuth(app, services.apiKeys)

  healthRoutes(app, { db: handle.db })
  apiKeysRoutes(app, { apiKeys: services.apiKeys })
  enterprisesRoutes(app, { enterprises: services.enterprises, batchBodyLimit: config.batchBodyLimit })
  featuresRoutes(app, { features: services.features })
  rulesRoutes(app, { rules: services.rules })
  graphRoutes(app, { graph: services.graph })
  modelsRoutes(app, { models: services.models })
  warningsRoutes(app, { warnings: services.warnings, batchBodyLimit: config.batchBodyLimit })
  decisionsRoutes(app, { decisions: services.decisions })
  leadsRoutes(app, { leads: services.leads, batchBodyLimit: config.batchBodyLimit })

  await app.ready()
  return { app, services, routes }
}
