import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CareTeamResponse, PutCareTeamRequest } from '@rpm/contracts';

interface TeamRow {
  id: string;
  name: string;
  escalation_contact: string | null;
  members: { userId: string; addedAt: string; addedBy: string }[];
}

const toResponse = (r: TeamRow): CareTeamResponse => ({
  id: r.id,
  name: r.name,
  escalationContact: r.escalation_contact,
  members: r.members.map((m) => ({ ...m, addedAt: new Date(m.addedAt).toISOString() })),
});

const SELECT_TEAMS = `
  SELECT t.id, t.name, t.escalation_contact,
         COALESCE((SELECT json_agg(json_build_object('userId', m.user_id, 'addedAt', m.added_at, 'addedBy', m.added_by) ORDER BY m.user_id)
                     FROM care_team_members m WHERE m.team_id = t.id), '[]') AS members
    FROM care_teams t`;

/**
 * Care teams and their nurses (issue 4, section 5). A nurse sees the patients of the teams she is
 * a member of here, and of those her identity provider puts in her token (careTeams claim).
 * Admins manage both teams and memberships; a change takes effect on the nurse's next request.
 */
@Injectable()
export class CareTeamsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(): Promise<CareTeamResponse[]> {
    return ((await this.db.query(`${SELECT_TEAMS} ORDER BY t.id`)) as TeamRow[]).map(toResponse);
  }

  async get(id: string): Promise<CareTeamResponse> {
    const [row] = (await this.db.query(`${SELECT_TEAMS} WHERE t.id = $1`, [id])) as TeamRow[];
    if (!row) throw new NotFoundException(`no care team ${id}`);
    return toResponse(row);
  }

  async put(id: string, request: PutCareTeamRequest): Promise<CareTeamResponse> {
    await this.db.query(
      `INSERT INTO care_teams (id, name, escalation_contact) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, escalation_contact = EXCLUDED.escalation_contact, updated_at = now()`,
      [id, request.name, request.escalationContact],
    );
    return this.get(id);
  }

  async addMember(teamId: string, userId: string, actor: string): Promise<CareTeamResponse> {
    await this.get(teamId);
    await this.db.query(`INSERT INTO care_team_members (team_id, user_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [teamId, userId, actor]);
    return this.get(teamId);
  }

  async removeMember(teamId: string, userId: string): Promise<CareTeamResponse> {
    const [, removed] = (await this.db.query(`DELETE FROM care_team_members WHERE team_id = $1 AND user_id = $2`, [teamId, userId])) as [unknown, number];
    if (!removed) throw new NotFoundException(`${userId} is not a member of care team ${teamId}`);
    return this.get(teamId);
  }

  /** The teams a user is a member of here. */
  async teamsOf(userId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT team_id FROM care_team_members WHERE user_id = $1`, [userId])) as { team_id: string }[];
    return rows.map((r) => r.team_id);
  }

  async isMember(tx: EntityManager, teamId: string, userId: string): Promise<boolean> {
    const rows = (await tx.query(`SELECT 1 FROM care_team_members WHERE team_id = $1 AND user_id = $2`, [teamId, userId])) as unknown[];
    return rows.length > 0;
  }
}
