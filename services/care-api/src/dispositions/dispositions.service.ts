import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DispositionCategory, DispositionResponse, PutDispositionRequest } from '@rpm/contracts';

interface DispositionRow {
  code: string;
  label: string;
  category: DispositionCategory;
  active: boolean;
  sort_order: number;
}

const toResponse = (r: DispositionRow): DispositionResponse => ({ code: r.code, label: r.label, category: r.category, active: r.active, sortOrder: r.sort_order });

/**
 * The configurable list a nurse resolves an alert with (issue 4). Codes are never deleted: an
 * inactive one is no longer offered, and resolutions that used it keep it. Its category tells the
 * reports and the backtest what it means (a real clinical event, a measurement error, ...).
 */
@Injectable()
export class DispositionsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(): Promise<DispositionResponse[]> {
    const rows = (await this.db.query(`SELECT code, label, category, active, sort_order FROM dispositions ORDER BY sort_order, code`)) as DispositionRow[];
    return rows.map(toResponse);
  }

  async put(code: string, request: PutDispositionRequest, actor: string): Promise<DispositionResponse> {
    const [row] = (await this.db.query(
      `INSERT INTO dispositions (code, label, category, active, sort_order, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, now(), $6)
       ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, category = EXCLUDED.category, active = EXCLUDED.active,
                                        sort_order = EXCLUDED.sort_order, updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING code, label, category, active, sort_order`,
      [code, request.label, request.category, request.active, request.sortOrder, actor],
    )) as DispositionRow[];
    return toResponse(row as DispositionRow);
  }

  /** Refuses a resolution with a code that is unknown or no longer offered (400, field "disposition"). */
  async requireActive(tx: EntityManager, code: string): Promise<void> {
    const [row] = (await tx.query(`SELECT active FROM dispositions WHERE code = $1`, [code])) as { active: boolean }[];
    if (row?.active) return;
    const reason = row ? 'no longer offered' : 'not a configured disposition (GET /api/v1/dispositions)';
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `disposition: ${reason}`, issues: [{ field: 'disposition', reason }] });
  }

  /** The codes whose category is `category` (the backtest's "clinical" flag, the burden report's low-value share). */
  async codesOf(...categories: DispositionCategory[]): Promise<Set<string>> {
    const rows = (await this.db.query(`SELECT code FROM dispositions WHERE category = ANY($1::text[])`, [categories])) as { code: string }[];
    return new Set(rows.map((r) => r.code));
  }
}
