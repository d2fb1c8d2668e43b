import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import type { ApiKeyRow } from '../api-keys/queries';
import { issueApiKey } from '../api-keys/service';
import { insertMember, type MemberRow } from '../members/queries';
import { insertOrganization, type OrganizationRow } from './queries';
import type { RegisterOrganizationInput } from './schemas';

/**
 * A professional registered as non-practising (no ejerciente) may not represent citizens: the
 * refusal wherever a power is granted (a request accepted) or used (a consent token minted, the
 * consent gate). Verification refuses such an organisation too (`verifyOrganization`).
 */
export function notPractising(): ProblemError {
  return new ProblemError(
    'organization_not_practising',
    "The organisation's professional standing is non-practising (no ejerciente): it may not represent citizens.",
  );
}

export interface Registration {
  organization: OrganizationRow;
  owner: MemberRow;
  testKey: { row: ApiKeyRow; secret: string };
}

/** Organisation, owner and first test key in one transaction: a failed sign-up leaves nothing behind. */
export async function registerOrganization(
  sql: Sql,
  input: RegisterOrganizationInput,
  now: Date,
): Promise<Registration> {
  return transaction(sql, async (tx) => {
    const standing = input.professional_standing;
    const organization = await insertOrganization(tx, {
      id: newId('org'),
      legal_name: input.legal_name,
      nif: input.nif,
      kind: input.kind,
      colegio: 'colegio' in standing ? standing.colegio : null,
      registry: 'registry' in standing ? standing.registry : null,
      registration_number: standing.registration_number,
      practising: 'practising' in standing ? standing.practising : null,
      statutes_allow_representation:
        'statutes_allow_representation' in standing ? standing.statutes_allow_representation : null,
      contact_email: input.contact_email,
      created_at: now,
    });
    if (!organization) {
      // The existing organisation's id is not revealed: the caller is anonymous.
      throw new ProblemError('duplicate', `An organisation with NIF ${input.nif} is already registered.`, {
        errors: [{ pointer: '/nif', in: 'body', detail: 'This NIF is already registered.' }],
      });
    }
    const owner = (await insertMember(tx, {
      id: newId('mem'),
      organization_id: organization.id,
      name: input.owner.name,
      id_number: input.owner.id_number,
      email: input.owner.email ?? null,
      role: 'owner',
      colegio_number: input.owner.colegio_number ?? null,
      created_at: now,
      created_by_member_id: null,
    }))!;
    const testKey = await issueApiKey(tx, {
      organizationId: organization.id,
      memberId: owner.id,
      livemode: false,
      name: 'Initial test key',
      createdBy: owner.id,
      now,
    });
    return { organization, owner, testKey };
  });
}
