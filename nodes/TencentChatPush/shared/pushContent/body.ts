import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { msgRandomFor } from '../../helpers/msgRandom';
import { type ApiFamily } from '../apiFamily';
import { readFlag } from '../execution';
import { readCondition, readMsgBody, readOfflinePushInfo } from './fields';

/**
 * The body of a push to all users, by tag or by attribute, from the fields in `fields.ts`: what
 * Push → Send sends, and what Scheduled Push → Create and Update wrap in a task.
 */
export function buildPushBody(
	this: IExecuteFunctions,
	api: ApiFamily,
	itemIndex: number,
): IDataObject {
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (additional.fromAccount) body.From_Account = additional.fromAccount;
	const condition = readCondition.call(this, itemIndex);
	if (condition) body.Condition = condition;
	if (api === 'timpush' && readFlag(this, additional.onlineOnly, 'Online Only', itemIndex))
		body.OnlineOnlyFlag = 1;
	if (api === 'legacy') body.MsgLifeTime = additional.msgLifeTime ?? 0;
	const msgBody = readMsgBody.call(this, itemIndex);
	if (msgBody) body.MsgBody = msgBody;
	const offlinePushInfo = readOfflinePushInfo.call(this, itemIndex, additional);
	if (offlinePushInfo) body.OfflinePushInfo = offlinePushInfo;
	body.MsgRandom = msgRandomFor.call(this, itemIndex, body, additional.msgRandom);
	return body;
}
