/**
 * Direct use of ml-xgboost's WebAssembly module. Its JS class passes the training matrix as a cwrap 'array'
 * argument, which is copied onto the 5 MB emscripten stack: anything above about 20k × 60 floats overflows
 * ("offset is out of bounds"). Here matrices go through malloc'd heap memory instead; the C functions are the
 * same ones the class calls (create_model, set_param, train_full_model, save_model, predict_one, ...).
 */
import { createRequire } from 'node:module'

interface EmscriptenModule {
  HEAPU8: Uint8Array
  HEAPF32: Float32Array
  _malloc(bytes: number): number
  _free(ptr: number): void
  cwrap(name: string, ret: string | null, args: string[]): (...a: Array<number | string>) => number
  isReady: Promise<EmscriptenModule>
  print: (s: string) => void
  printErr: (s: string) => void
}

interface Api {
  mod: EmscriptenModule
  createModel(data: number, labels: number, rows: number, cols: number): number
  setParam(model: number, key: string, value: string): void
  train(model: number, iterations: number): void
  saveModel(model: number): number
  getFileContent(ptr: number, size: number): void
  loadModel(ptr: number, size: number): number
  predictOne(model: number, row: number, cols: number, out: number): number
  freeModel(model: number): void
}

let api: Promise<Api> | undefined
const require = createRequire(import.meta.url)

function loadApi(): Promise<Api> {
  api ??= (async () => {
    const { log, warn } = console
    // the module prints "wasm streaming compile failed ... falling back" while instantiating: not an error
    console.log = () => {}
    console.warn = () => {}
    let mod: EmscriptenModule
    try {
      mod = await (require('ml-xgboost/dist/wasm/xgboost.js') as EmscriptenModule).isReady
    } finally {
      console.log = log
      console.warn = warn
    }
    const n = 'number'
    const w = (name: string, ret: string | null, args: string[]) => mod.cwrap(name, ret, args)
    return {
      mod,
      createModel: w('create_model', n, [n, n, n, n]),
      setParam: w('set_param', null, [n, 'string', 'string']) as Api['setParam'],
      train: w('train_full_model', null, [n, n]) as Api['train'],
      saveModel: w('save_model', n, [n]),
      getFileContent: w('get_file_content', null, [n, n]) as Api['getFileContent'],
      loadModel: w('load_model', n, [n, n]),
      predictOne: w('predict_one', n, [n, n, n, n]),
      freeModel: w('free_memory_model', null, [n]) as Api['freeModel'],
    }
  })()
  return api
}

/** Copies floats into WASM heap memory; the caller frees the pointer. */
function toHeap(a: Api, values: Float32Array): number {
  const ptr = a.mod._malloc(values.length * 4)
  if (ptr === 0) throw new Error(`ml-xgboost could not allocate ${values.length * 4} bytes`)
  a.mod.HEAPF32.set(values, ptr / 4) // HEAPF32 is re-read: memory growth replaces the view
  return ptr
}

export interface WasmBooster {
  /** PD (after the objective's transform) per row; rows already in ml-xgboost encoding (-1 = missing). */
  predict(rows: Float32Array, cols: number): Float32Array
  bytes(): Uint8Array
  free(): void
}

function wrap(a: Api, handle: number): WasmBooster {
  let freed = false
  return {
    predict(rows, cols) {
      const n = rows.length / cols
      const out = new Float32Array(n)
      const rowPtr = a.mod._malloc(cols * 4)
      const outPtr = a.mod._malloc(64)
      try {
        for (let i = 0; i < n; i++) {
          a.mod.HEAPF32.set(rows.subarray(i * cols, (i + 1) * cols), rowPtr / 4)
          const size = a.predictOne(handle, rowPtr, cols, outPtr)
          if (size !== 1) throw new Error(`expected one prediction per row, got ${size}`)
          out[i] = a.mod.HEAPF32[outPtr / 4]!
        }
      } finally {
        a.mod._free(rowPtr)
        a.mod._free(outPtr)
      }
      return out
    },
    bytes() {
      const size = a.saveModel(handle)
      if (size < 0) throw new Error('ml-xgboost could not save the model')
      const ptr = a.mod._malloc(size)
      try {
        a.getFileContent(ptr, size)
        return a.mod.HEAPU8.slice(ptr, ptr + size)
      } finally {
        a.mod._free(ptr)
      }
    },
    free() {
      if (!freed) a.freeModel(handle)
      freed = true
    },
  }
}

/** Trains with `params` (XGBoost parameter names) for `iterations` rounds on a row-major float32 matrix. */
export async function trainWasm(x: Float32Array, labels: Float32Array, cols: number, params: Record<string, string>, iterations: number): Promise<WasmBooster> {
  const a = await loadApi()
  const rows = labels.length
  const dataPtr = toHeap(a, x)
  const labelPtr = toHeap(a, labels)
  let handle: number
  try {
    handle = a.createModel(dataPtr, labelPtr, rows, cols)
  } finally {
    // the DMatrix holds its own copy
    a.mod._free(dataPtr)
    a.mod._free(labelPtr)
  }
  const booster = wrap(a, handle)
  const print = a.mod.print
  a.mod.print = () => {} // "Tree method is selected ..." chatter
  try {
    for (const [k, v] of Object.entries(params)) a.setParam(handle, k, v)
    a.train(handle, iterations)
  } catch (e) {
    booster.free()
    throw e
  } finally {
    a.mod.print = print
  }
  return booster
}

export async function loadWasm(bytes: Uint8Array): Promise<WasmBooster> {
  const a = await loadApi()
  const ptr = a.mod._malloc(bytes.length)
  a.mod.HEAPU8.set(bytes, ptr)
  const handle = a.loadModel(ptr, bytes.length)
  a.mod._free(ptr)
  if (handle === 0) throw new Error('ml-xgboost could not load the model')
  return wrap(a, handle)
}
