import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readTableText, splitDelimited } from '../../training/lib/table-reader.js'
import { prepareTable } from '../../training/lib/tabular.js'

const prep = (text: string, target: string, opts: Parameters<typeof readTableText>[1] = {}, more: Partial<Parameters<typeof prepareTable>[1]> = {}) =>
  prepareTable(readTableText(text, opts), { target, ...more })

describe('delimited text', () => {
  it('strips a byte-order mark from the first header', () => {
    const t = readTableText('\uFEFFa,b,y\n1,2,0\n3,4,1\n')
    expect(t.columns).toEqual(['a', 'b', 'y'])
  })

  it('reads NA, ?, NaN and empty cells as missing', () => {
    const p = prep('a,b,y\nNA,1,0\n?,2,1\n,3,0\nnan,4,1\n5,6,0\n', 'y')
    expect(Array.from({ length: 5 }, (_, r) => p.X[r * 2])).toEqual([NaN, NaN, NaN, NaN, 5])
  })

  it('drops a column with an empty header and says so', () => {
    const p = prep(',a,y\n17,1,0\n4,2,1\n9,3,0\n', 'y')
    expect(p.featureNames).toEqual(['a'])
    expect(p.notes.join()).toMatch(/column 1 has an empty header/)
  })

  it('drops a row-number column', () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${i + 1},${(i * 7) % 5},${i % 2}`)
    const p = prep(`ID,a,y\n${rows.join('\n')}\n`, 'y')
    expect(p.featureNames).toEqual(['a'])
    expect(p.notes.join()).toMatch(/'ID' holds the row number/)
  })

  it('maps labels 1/2 with --positive 2 and refuses them without it', () => {
    const text = '1 A11 0 1\n2 A12 1 2\n3 A11 0 1\n4 A13 1 2\n'
    const p = prep(text, 'c4', { header: false, sep: 'space' }, { positive: '2' })
    expect(Array.from(p.y)).toEqual([0, 1, 0, 1])
    expect(p.target).toEqual({ column: 'c4', positive: '2', negative: '1' })
    expect(() => prep(text, 'c4', { header: false, sep: 'space' })).toThrow(/labels 1 and 2: pass --positive/)
  })

  it('one-hot encodes string columns, with NaN in every indicator when missing', () => {
    const p = prep('k,y\nA,0\nB,1\nA,0\nNA,1\n', 'y')
    expect(p.featureNames).toEqual(['k=A', 'k=B'])
    expect(Array.from(p.X)).toEqual([1, 0, 0, 1, 1, 0, NaN, NaN])
    expect(p.categorical).toEqual([{ column: 'k', levels: ['A', 'B'] }])
  })

  it('honours --categorical for numeric codes', () => {
    const p = prep('k,y\n1,0\n2,1\n1,1\n', 'y', {}, { categorical: ['k'] })
    expect(p.featureNames).toEqual(['k=1', 'k=2'])
  })

  it('names the column, line and value of junk in a numeric column', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 7},${i % 2}`)
    rows[11] = 'abc,1'
    expect(() => prep(`a,y\n${rows.join('\n')}\n`, 'y')).toThrow("column 'a' is numeric but line 13 (data row 12) holds 'abc'")
  })

  it('reads quoted fields and semicolons', () => {
    const t = readTableText('"a;b";y\n"x ""q""";1\n')
    expect(t.columns).toEqual(['a;b', 'y'])
    expect(t.rows[0]).toEqual(['x "q"', '1'])
  })

  it('round-trips any quoted field through the CSV splitter', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme-ascii' }), { minLength: 1, maxLength: 6 }), (cells) => {
      const clean = cells.map((c) => c.replace(/[\r\n]/g, ''))
      const line = clean.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')
      expect(splitDelimited(line, ',')).toEqual(clean)
    }))
  })

  it('rejects ragged rows with the line number', () => {
    expect(() => readTableText('a,b\n1,2\n3\n')).toThrow(/line 3 has 1 fields/)
  })
})

describe('ARFF', () => {
  const arff = `% comment
@relation 'test'
@attribute 'net profit / total assets' numeric
@attribute Attr2 REAL
@attribute colour {red,green}
@attribute class {0,1}

@data
0.1,?,red,0
-0.2,3,green,1
?,4,?,0
`
  it('reads quoted attribute names, ? as missing and nominal attributes as categorical', () => {
    const p = prep(arff, 'class', { fileName: 'x.arff' })
    expect(p.featureNames).toEqual(['net profit / total assets', 'Attr2', 'colour=green', 'colour=red'])
    expect(Array.from(p.X.subarray(0, 4))).toEqual([0.1, NaN, 0, 1])
    expect(Array.from(p.X.subarray(8, 12))).toEqual([NaN, 4, NaN, NaN])
    expect(Array.from(p.y)).toEqual([0, 1, 0])
  })

  it('refuses sparse rows', () => {
    expect(() => readTableText('@relation r\n@attribute a numeric\n@data\n{0 1}\n')).toThrow(/sparse/)
  })
})
