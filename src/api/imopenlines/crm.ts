/**
 * imopenlines.crm.*: Parley has no CRM, so no line chat is ever linked to a lead, deal, company or
 * contact. Each method reads its documented parameters (ERROR_ARGUMENT for a missing one, as
 * documented) and then answers the documented error a Bitrix24 client already handles for "no such
 * CRM object or no access to it", with a description that says why: ACCESS_DENIED (403), or for
 * crm.chat.getLastId CRM_CHAT_EMPTY_CRM_DATA "Could not find CRM object" (400).
 */
import { fail } from '../../errors.ts';
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';

/** The description every refusal carries. */
export const NO_CRM = 'Parley has no CRM: open-line chats are not linked to CRM objects';

/** CRM_ENTITY_TYPE and CRM_ENTITY: ERROR_ARGUMENT "Argument '…' is null or empty" when missing, as documented. */
const entity = () => ({
  CRM_ENTITY_TYPE: c.requiredString('ERROR_ARGUMENT', "Argument 'CRM_ENTITY_TYPE' is null or empty"),
  CRM_ENTITY: c.id('ERROR_ARGUMENT', "Argument 'CRM_ENTITY' is null or empty"),
});

defineMethod({
  name: 'imopenlines.crm.chat.get', scope: 'imopenlines', access: 'none',
  params: { ...entity(), ACTIVE_ONLY: c.flag(true) },
  handler: () => fail('ACCESS_DENIED', `Access denied! ${NO_CRM}`),
});

defineMethod({
  name: 'imopenlines.crm.chat.getLastId', scope: 'imopenlines', access: 'none',
  params: {
    CRM_ENTITY_TYPE: c.requiredString('CRM_CHAT_EMPTY_CRM_DATA', 'Empty CRM data'),
    CRM_ENTITY: c.id('CRM_CHAT_EMPTY_CRM_DATA', 'Empty CRM data'),
  },
  handler: () => fail('CRM_CHAT_EMPTY_CRM_DATA', `Could not find CRM object: ${NO_CRM}`),
});

/** The parameters of crm.chat.user.add / user.delete: CHAT_ID defaults to the CRM object's last chat. */
const chatUser = () => ({ ...entity(), USER_ID: c.id('ERROR_ARGUMENT', "Argument 'Empty USER_ID' is null or empty"), CHAT_ID: c.int() });

defineMethod({
  name: 'imopenlines.crm.chat.user.add', scope: 'imopenlines', access: 'none',
  params: chatUser(),
  handler: () => fail('ACCESS_DENIED', `Access denied! ${NO_CRM}`),
});

defineMethod({
  name: 'imopenlines.crm.chat.user.delete', scope: 'imopenlines', access: 'none',
  params: chatUser(),
  handler: () => fail('ACCESS_DENIED', `Access denied! ${NO_CRM}`),
});

defineMethod({
  name: 'imopenlines.crm.message.add', scope: 'imopenlines', access: 'none',
  params: {
    ...entity(),
    USER_ID: c.id('ERROR_ARGUMENT', "Argument 'USER_ID' is null or empty"),
    CHAT_ID: c.id('ERROR_ARGUMENT', "Argument 'CHAT_ID' is null or empty"),
    MESSAGE: c.requiredString('ERROR_ARGUMENT', "Argument 'MESSAGE' is null or empty"),
  },
  handler: () => fail('ACCESS_DENIED', `Access denied! ${NO_CRM}`),
});

defineMethod({
  name: 'imopenlines.crm.lead.create', scope: 'imopenlines', access: 'none',
  params: { CHAT_ID: c.int() },
  handler: () => fail('ACCESS_DENIED', `You cannot create a lead: ${NO_CRM}`),
});
