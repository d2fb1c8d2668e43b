// Setup the SDK tests share: an organisation registered through the SDK, and a sandbox delegation.
import { registrationBody } from '../../test/support/fixtures';
import { type ClientOptions, Puente } from '../src';

/** Registers an organisation through the SDK, without a key, and answers a client with its test key. */
export async function registeredClient(options: ClientOptions & { baseUrl: string }): Promise<Puente> {
  const anonymous = new Puente({ baseUrl: options.baseUrl, fetch: options.fetch });
  const registration = await anonymous.organization.register(registrationBody() as never);
  return new Puente({ ...options, apiKey: registration.test_key.secret });
}

/** Citizen 12345678Z's JUB delegation, requested by `puente`'s organisation and accepted in the sandbox, and a client scoped to it. */
export async function sandboxDelegation(puente: Puente): Promise<{ delegationId: string; client: Puente }> {
  const request = await puente.delegationRequests.create({
    citizen: { id_number: '12345678Z', name: 'Carmen López García' },
    scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
    valid_until: '2027-12-31',
  });
  const accepted = await puente.sandbox.acceptDelegationRequest(request.id);
  return { delegationId: accepted.delegation_id!, client: puente.forClient(accepted.delegation_id!) };
}
