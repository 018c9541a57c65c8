/** The branch daily report as an Excel workbook: 汇总 (summary), 预警 (the day's warnings), 流转 (the day's transitions). */
import ExcelJS from 'exceljs'
import { LEVEL_ZH } from './warnings.mapper.js'
import type { DailyReport } from './reports.js'

export const SHEETS = { summary: '汇总 Summary', warnings: '预警 Warnings', transitions: '流转 Transitions' } as const
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export async function dailyReportXlsx(report: DailyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Credit Engine'
  wb.created = new Date()

  const summary = wb.addWorksheet(SHEETS.summary)
  summary.columns = [{ header: '项目 Item', key: 'item', width: 36 }, { header: '数值 Value', key: 'value', width: 24 }]
  const s = report.summary
  summary.addRows([
    { item: '日期 Date', value: report.date },
    { item: '分行 Branch', value: report.branchId ?? '全部 All' },
    { item: `新增${LEVEL_ZH.HIGH} HIGH`, value: s.created.HIGH },
    { item: `新增${LEVEL_ZH.MEDIUM} MEDIUM`, value: s.created.MEDIUM },
    { item: `新增${LEVEL_ZH.LOW} LOW`, value: s.created.LOW },
    { item: '新增合计 Created', value: s.created.total },
    { item: '流转次数 Transitions', value: s.transitions },
    { item: '待处理 Open now', value: s.openNow },
    { item: '客户高等级通知 HIGH on customers', value: s.highOnCustomers },
    { item: '已截断 Truncated', value: s.truncated ? '是 yes' : '否 no' },
  ])

  const warnings = wb.addWorksheet(SHEETS.warnings)
  warnings.columns = [
    { header: 'ID', key: 'id', width: 38 }, { header: '统一社会信用代码 USCC', key: 'uscc', width: 22 },
    { header: '企业名称 Name', key: 'name', width: 30 }, { header: '等级 Level', key: 'level', width: 10 },
    { header: '状态 Status', key: 'status', width: 14 }, { header: '事件类型 Event', key: 'eventType', width: 24 },
    { header: '类型 Kind', key: 'kind', width: 12 }, { header: '传导自 From', key: 'from', width: 22 },
    { header: '关联维度 Dimension', key: 'dimension', width: 16 }, { header: '事件数 Events', key: 'events', width: 10 },
    { header: '创建时间 Created', key: 'createdAt', width: 26 },
  ]
  for (const w of report.warnings) {
    warnings.addRow({
      id: w.id, uscc: w.uscc, name: w.enterpriseName ?? '', level: `${w.levelZh} ${w.level}`, status: w.status,
      eventType: `${w.eventTypeZh} ${w.eventType}`, kind: w.kind, from: w.propagatedFromUscc ?? '', dimension: w.dimension ?? '',
      events: w.eventCount, createdAt: w.createdAt,
    })
  }

  const transitions = wb.addWorksheet(SHEETS.transitions)
  transitions.columns = [
    { header: '预警 Warning', key: 'warningId', width: 38 }, { header: 'USCC', key: 'uscc', width: 22 },
    { header: '动作 Action', key: 'action', width: 14 }, { header: '原状态 From', key: 'fromStatus', width: 14 },
    { header: '新状态 To', key: 'toStatus', width: 14 }, { header: '操作人 Actor', key: 'actor', width: 38 },
    { header: '意见 Comment', key: 'comment', width: 40 }, { header: '时间 At', key: 'at', width: 26 },
  ]
  for (const t of report.transitions) {
    transitions.addRow({ warningId: t.warningId, uscc: t.uscc, action: t.action, fromStatus: t.fromStatus ?? '', toStatus: t.toStatus, actor: t.actor, comment: t.comment ?? '', at: t.at })
  }
  for (const sheet of [summary, warnings, transitions]) sheet.getRow(1).font = { bold: true }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
