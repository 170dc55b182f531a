#!/usr/bin/env node
'use strict';
/**
 * A small OpenAI-compatible chat-completions server on loopback, for the AI-agent recipe
 * (examples/recipes/ai-agent-push-tool.json) without a real model or network: it answers
 * `POST /v1/chat/completions` with scripted tool calls, reading the tools the agent offers:
 *   1. the request names a user ("user alice", "customer alice") → call the tool whose name
 *      mentions tags with { userId };
 *   2. after that tool's result → call the tool whose name mentions push with { userId, title,
 *      text }, worded by whether the result lists the tag `vip`;
 *   3. after the push tool's result → a final answer quoting it.
 * Every request is kept (`requests`), so tests can check what n8n sent the model (tool
 * schemas, tool results). Streaming (`stream: true`) and `GET /v1/models` are answered too.
 * Node built-ins only.
 *
 * CLI: node test/e2e/harness/openai-standin.js [--port 0]   prints its base URL.
 */
const http = require('http');

const MODEL = 'standin-scripted';

function lastUserText(messages) {
	const user = [...messages].reverse().find((m) => m.role === 'user');
	if (!user) return '';
	if (typeof user.content === 'string') return user.content;
	return (user.content || []).map((part) => part.text || '').join(' ');
}

function toolNamed(tools, pattern) {
	return (tools || []).map((t) => t.function || t).find((f) => pattern.test(f.name));
}

/** Arguments for a tool, limited to the properties its schema declares. */
function argsFor(tool, values) {
	const props = Object.keys(tool.parameters?.properties || {});
	const args = {};
	for (const [k, v] of Object.entries(values))
		if (props.length === 0 || props.includes(k)) args[k] = v;
	// A schema with one property the script does not know by name gets the user id (e.g. `input`).
	if (Object.keys(args).length === 0 && props.length === 1) args[props[0]] = values.userId;
	return args;
}

/** The scripted next step for a chat-completions request: { toolCall } or { content }. */
function nextStep(body) {
	const messages = body.messages || [];
	const toolResults = messages.filter((m) => m.role === 'tool');
	const userId = (/\b(?:user|customer)\s+([A-Za-z0-9_.@-]+)/i.exec(lastUserText(messages)) ||
		[])[1];
	const tagsTool = toolNamed(body.tools, /tag/i);
	const pushTool = toolNamed(body.tools, /push|send/i);
	if (!userId) return { content: 'Which user should I notify? Name them as "user <UserID>".' };
	if (toolResults.length === 0 && tagsTool) {
		return { toolCall: { name: tagsTool.name, args: argsFor(tagsTool, { userId }) } };
	}
	if (toolResults.length === 1 && pushTool) {
		const isVip = /\bvip\b/i.test(String(toolResults[0].content));
		const title = isVip ? 'VIP: your order update' : 'Your order update';
		const text = isVip
			? 'As a VIP you get free express shipping on this order.'
			: 'Your order is on its way.';
		return { toolCall: { name: pushTool.name, args: argsFor(pushTool, { userId, title, text }) } };
	}
	const last = toolResults[toolResults.length - 1];
	const taskId = (/"taskIds?"\s*:\s*\[?\s*"([^"]+)"/.exec(String(last?.content)) || [])[1];
	return {
		content: taskId
			? `I looked up ${userId}'s tags and sent one push (TaskId ${taskId}).`
			: `I could not send the push to ${userId}: ${String(last?.content).slice(0, 300)}`,
	};
}

function completion(step, n) {
	const message = step.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: `call_${n}`,
						type: 'function',
						function: { name: step.toolCall.name, arguments: JSON.stringify(step.toolCall.args) },
					},
				],
			}
		: { role: 'assistant', content: step.content };
	return {
		id: `chatcmpl-standin-${n}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
		choices: [{ index: 0, message, finish_reason: step.toolCall ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

function streamChunks(step, n) {
	const base = {
		id: `chatcmpl-standin-${n}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
	};
	const delta = step.toolCall
		? {
				role: 'assistant',
				tool_calls: [
					{
						index: 0,
						id: `call_${n}`,
						type: 'function',
						function: { name: step.toolCall.name, arguments: JSON.stringify(step.toolCall.args) },
					},
				],
			}
		: { role: 'assistant', content: step.content };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{
			...base,
			choices: [{ index: 0, delta: {}, finish_reason: step.toolCall ? 'tool_calls' : 'stop' }],
		},
	];
}

/** Starts the stand-in; resolves { url (…/v1), port, requests, stop() }. */
function startOpenAiStandin({ host = '127.0.0.1', port = 0 } = {}) {
	const requests = [];
	let n = 0;
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (d) => (raw += d));
		req.on('end', () => {
			const send = (status, json) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			const route = req.url.split('?')[0].replace(/\/+$/, '');
			if (req.method === 'GET' && route.endsWith('/models')) {
				return send(200, {
					object: 'list',
					data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'standin' }],
				});
			}
			if (req.method !== 'POST' || !route.endsWith('/chat/completions')) {
				return send(404, {
					error: { message: `the stand-in does not serve ${req.method} ${route}` },
				});
			}
			let body;
			try {
				body = JSON.parse(raw);
			} catch {
				return send(400, { error: { message: 'body is not JSON' } });
			}
			const step = nextStep(body);
			n += 1;
			requests.push({ body, step });
			if (!body.stream) return send(200, completion(step, n));
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			for (const chunk of streamChunks(step, n)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			const address = /** @type {import('net').AddressInfo} */ (server.address());
			resolve({
				url: `http://${host}:${address.port}/v1`,
				port: address.port,
				requests,
				stop: () => new Promise((r) => server.close(() => r())),
			});
		});
	});
}

module.exports = { startOpenAiStandin, nextStep };

if (require.main === module) {
	const i = process.argv.indexOf('--port');
	startOpenAiStandin({ port: i >= 0 ? Number(process.argv[i + 1]) : 0 }).then((s) =>
		console.log(`OpenAI-compatible stand-in listening on ${s.url}`),
	);
}
