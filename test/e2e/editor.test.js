'use strict';
/**
 * Issue 14: the editor as a user sees it, in real n8n with Chromium (Debian's package, driven by
 * playwright-core): the node found by searching, every operation's panel, the Android Options
 * regression, the credential test, an example run from the UI and the output schemas the editor
 * asks for. One n8n and one browser for the whole file. Every request off loopback is blocked.
 *
 * With EDITOR_SCREENSHOTS_DIR set (`npm run screenshots`), the same steps save the README images.
 */
const { VERSIONS, INSTALL_TIMEOUT_MS, installer } = require('./helpers');
const {
	WRONG_CREDENTIAL,
	OPERATIONS_WORKFLOW_ID,
	expectedFields,
	startSession,
	stopSession,
	openNode,
	openOnCanvas,
	addCollectionField,
	fieldLabels,
	screenshot,
} = require('./harness/editor-session');

jest.setTimeout(120_000);

// The editor is the same code on every version we support; one version keeps the file short.
const version = VERSIONS.includes(installer.LATEST)
	? installer.LATEST
	: VERSIONS[VERSIONS.length - 1];

describe(`the editor of real n8n ${version} in Chromium`, () => {
	let s;

	beforeAll(async () => {
		s = await startSession({ version });
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		if (s) await stopSession(s);
	});

	/** Console errors that concern our node (n8n's own noise about blocked telemetry is not ours). */
	const ourConsoleErrors = () =>
		s.consoleErrors.filter((e) => /tencent|tcpush|n8n-nodes-tencent-chat-push/i.test(e));

	test('searching "Tencent" in the nodes panel finds the node and its trigger, and adds Send', async () => {
		const { page } = s;
		await page.goto(`${s.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.keyboard.type('Manual');
		await page
			.getByTestId('node-creator-item-name')
			.filter({ hasText: /Trigger manually/ })
			.first()
			.click();
		await page.keyboard.press('Escape');
		await page.getByTestId('node-creator-plus-button').click();
		await page.keyboard.type('Tencent');
		const names = page.getByTestId('node-creator-item-name');
		await names
			.filter({ hasText: /^Tencent Chat Push$/ })
			.first()
			.waitFor();
		await expect(names.filter({ hasText: /^Tencent Chat Push$/ }).count()).resolves.toBe(1);
		await screenshot(s, 'nodes-panel', page.getByTestId('node-creator'));
		await names.filter({ hasText: /^Tencent Chat Push$/ }).click();
		const creator = page.getByTestId('node-creator');
		const text = await creator.innerText();
		expect(text).toMatch(/Actions \(20\)/);
		expect(text).toContain('Send a push');
		await screenshot(s, 'nodes-panel-actions', creator);
		await creator.getByText('Send a push', { exact: true }).click();
		const ndv = page.getByTestId('ndv');
		await ndv.getByTestId('node-parameters').waitFor();
		const labels = await fieldLabels(ndv);
		for (const label of [
			'Credential',
			'Resource',
			'Operation',
			'Audience',
			'Notification Title',
			'Additional Fields',
		])
			expect(labels).toContain(label);
		// A credential of our type is offered in the panel.
		await ndv.getByTestId('node-credentials-select').waitFor();
	});

	test('every resource/operation panel renders its fields, with no console error about the node', async () => {
		expect(s.ops).toHaveLength(20);
		const missing = [];
		await s.page.goto(`${s.url}/workflow/${OPERATIONS_WORKFLOW_ID}`);
		await s.page.getByTestId('zoom-to-fit').click();
		for (const op of s.ops) {
			const ndv = await openOnCanvas(s, op.action);
			const labels = await fieldLabels(ndv);
			const expected = expectedFields(s.description, op);
			expect(expected.length).toBeGreaterThan(2); // Resource, Operation and at least one more
			for (const label of expected)
				if (!labels.includes(label)) missing.push(`${op.resource}/${op.operation}: ${label}`);
			// No parameter issue (red triangle) on an untouched panel other than required fields.
			if (op.operation === 'send' && op.resource === 'push') await screenshot(s, 'send-panel', ndv);
		}
		expect(missing).toEqual([]);
		expect(ourConsoleErrors()).toEqual([]);
	}, 300_000); // 20 panels, slow on a busy 2-core machine

	test('Android Options stays when another Additional Field is added (regression), fields one at a time', async () => {
		const { page } = s;
		const sendIndex = s.ops.findIndex((o) => o.resource === 'push' && o.operation === 'send');
		const ndv = await openNode(s, OPERATIONS_WORKFLOW_ID, `${OPERATIONS_WORKFLOW_ID}-${sendIndex}`);
		await addCollectionField(page, ndv, 'Additional Fields', 'Android Options');
		await addCollectionField(page, ndv, 'Additional Fields', 'From Account');
		let labels = await fieldLabels(ndv);
		expect(labels).toContain('Android Options');
		expect(labels).toContain('From Account');
		// Android options are added one at a time, not all 17 at once.
		expect(labels).not.toContain('Xiaomi Channel ID');
		await addCollectionField(page, ndv, 'Android Options', 'Xiaomi Channel ID');
		await addCollectionField(page, ndv, 'Additional Fields', 'iOS (APNs) Options');
		labels = await fieldLabels(ndv);
		for (const l of ['Android Options', 'Xiaomi Channel ID', 'From Account', 'iOS (APNs) Options'])
			expect(labels).toContain(l);
		expect(labels).not.toContain('Huawei Channel ID');
		expect(ourConsoleErrors()).toEqual([]);
	});

	test('the credential dialog tests the connection against the emulator: right key passes, wrong key is refused', async () => {
		const { page } = s;
		/** The dialog's text once n8n has shown the result of its connection test. */
		const tested = async (id) => {
			await page.goto(`${s.url}/home/credentials/${id}`);
			const dialog = page.getByTestId('credential-edit-dialog');
			await dialog.waitFor();
			const deadline = Date.now() + 30_000;
			let text = '';
			while (Date.now() < deadline) {
				text = await dialog.innerText();
				if (/Connection tested successfully|Couldn.t connect|refused|failed/i.test(text)) break;
				await page.waitForTimeout(250);
			}
			return { dialog, text };
		};
		const wrong = await tested(WRONG_CREDENTIAL.id);
		expect(wrong.text).toMatch(/Couldn.t connect with these settings/);
		expect(wrong.text).not.toContain('Connection tested successfully');
		// The reason is our credential test's message, behind "More details".
		await wrong.dialog.getByText('More details').click();
		await wrong.dialog.getByText(/Tencent refused the credentials: check the SDKAppID/).waitFor();
		await screenshot(s, 'credential-dialog-wrong-key', wrong.dialog);
		const right = await tested('tcDemoCred00001');
		expect(right.text).toContain('Connection tested successfully');
		await screenshot(s, 'credential-dialog', right.dialog);
	});

	test('an example runs from "Execute workflow" and its output table shows the pushes', async () => {
		const { page } = s;
		await s.emu.reset();
		await page.goto(`${s.url}/workflow/tcExPushUsers001`);
		await page.getByTestId('execute-workflow-button').click();
		await page
			.getByTestId('canvas-node')
			.filter({ hasText: 'Push to Each User' })
			.locator('[data-test-id="canvas-node-status-success"]')
			.waitFor({ timeout: 60_000 });
		await page.getByTestId('canvas-node').filter({ hasText: 'Push to Each User' }).dblclick();
		const ndv = page.getByTestId('ndv');
		const output = ndv.getByTestId('output-panel');
		await output.getByTestId('radio-button-table').click();
		const table = output.locator('table');
		await table.waitFor();
		// One row per user the Code node produced (alice, bob, carol), each with the push's TaskId.
		expect(await output.innerText()).toMatch(/\b3 items\b/);
		const text = await table.innerText();
		const [task] = s.emu.state.taskList();
		expect(text.split(task.taskId).length - 1).toBe(3);
		await screenshot(s, 'output-table', ndv);
		expect(s.emu.state.taskList()).toHaveLength(1);
		expect(ourConsoleErrors()).toEqual([]);
	});

	test('a validation error reads well in the panel, and nothing is sent', async () => {
		const { page } = s;
		const sendIndex = s.ops.findIndex((o) => o.resource === 'push' && o.operation === 'send');
		const ndv = await openNode(s, OPERATIONS_WORKFLOW_ID, `${OPERATIONS_WORKFLOW_ID}-${sendIndex}`);
		const tasksBefore = s.emu.state.taskList().length;
		// Users With Tags, both tag lists left empty: refused before sending, naming both fields.
		await ndv.getByTestId('parameter-input-audience').click();
		await page
			.locator('.el-select-dropdown__item:visible')
			.filter({ hasText: 'Users With Tags' })
			.first()
			.click();
		await ndv.getByTestId('node-execute-button').click();
		const output = ndv.getByTestId('output-panel');
		await output
			.getByText(/are both empty/)
			.first()
			.waitFor({ timeout: 60_000 });
		const text = await output.innerText();
		expect(text).toContain(
			'Tags (All Of) and Tags (Any Of) are both empty: give at least one tag in either (error 90040)',
		);
		expect(text).not.toMatch(/\[at |Request:/);
		await screenshot(s, 'validation-error', ndv);
		expect(s.emu.state.taskList()).toHaveLength(tasksBefore);
	});

	test('n8n serves an output schema for every operation (the editor previews fields before a run)', async () => {
		const statuses = {};
		for (const { resource, operation } of s.ops) {
			const res = await fetch(
				`${s.url}/schemas/n8n-nodes-tencent-chat-push.tencentChatPush/1.0.0/${resource}/${operation}.json`,
			);
			statuses[`${resource}/${operation}`] = res.status;
			if (res.status === 200)
				expect(/** @type {{ type?: string }} */ (await res.json()).type).toBe('object');
		}
		expect(Object.values(statuses).filter((c) => c !== 200)).toEqual([]);
		expect(Object.keys(statuses)).toHaveLength(20);
	});

	test('n8n logged no error about the package', () => {
		// n8n's cache folder is named after the package: its paths in n8n's own stack traces do not count.
		const lines = s.server
			.output()
			.split('\n')
			.map((l) => l.split('.cache/n8n-nodes-tencent-chat-push').join('.cache/N8N'));
		expect(
			lines.filter((l) => /error|warn/i.test(l) && /tencent-chat-push|TencentChatPush/i.test(l)),
		).toEqual([]);
	});
});
