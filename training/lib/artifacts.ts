/**
 * Writes a model version all-or-nothing: files go to a temporary sibling directory, which is renamed onto
 * `out` only when everything succeeded, so a failed run never leaves a partial model behind.
 */
import { mkdtemp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'

export async function writeArtifactsAtomically(out: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const target = resolve(out)
  await mkdir(dirname(target), { recursive: true })
  const tmp = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`))
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content)
    const existing = await stat(target).catch(() => undefined)
    if (!existing) {
      await rename(tmp, target)
      return
    }
    if (!existing.isDirectory()) throw new Error(`--out ${out} exists and is not a directory`)
    // An existing directory (e.g. made by the caller) keeps its other files; ours replace same-named ones.
    for (const name of await readdir(tmp)) await rename(join(tmp, name), join(target, name))
    await rm(tmp, { recursive: true, force: true })
  } catch (e) {
    await rm(tmp, { recursive: true, force: true })
    throw e
  }
}
