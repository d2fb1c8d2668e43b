import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { markVerified } from './queries';
import { registerOrganization } from './service';

export const DEMO_NIF = 'B00000000';

/**
 * Outside production, a verified demo gestoría with a test key, so a newcomer can call the API
 * a minute after `npm start`. The key is kept in `dev_settings` so restarts print the same one.
 */
export async function ensureDemoOrganization(
  sql: Sql,
  now: Date,
): Promise<{ organizationId: string; testKey: string }> {
  const [saved] = await sql<{ value: string }[]>`select value from dev_settings where name = 'demo'`;
  if (saved) return JSON.parse(saved.value) as { organizationId: string; testKey: string };
  const registration = await registerOrganization(
    sql,
    {
      legal_name: 'Gestoría Demo Puente S.L.',
      nif: DEMO_NIF,
      kind: 'gestoria',
      professional_standing: {
        colegio: 'Colegio Oficial de Gestores Administrativos de Madrid',
        registration_number: '0001',
        practising: true,
      },
      contact_email: 'demo@puente.test',
      owner: { name: 'Demo Owner', id_number: '00000000T', email: 'demo@puente.test', colegio_number: '0001' },
    },
    now,
  );
  const demo = { organizationId: registration.organization.id, testKey: registration.testKey.secret };
  await transaction(sql, async (tx) => {
    await markVerified(tx, {
      id: demo.organizationId,
      by: 'puente (development seed)',
      note: 'Demo organisation created automatically outside production.',
      at: now,
    });
    await tx`insert into dev_settings (name, value) values ('demo', ${JSON.stringify(demo)})`;
  });
  return demo;
}
