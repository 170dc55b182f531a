/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * A loopback proxy in front of the emulator that sees the raw request URLs (the emulator redacts
 * `usersig` in its own log) and can answer in the ways a gateway or Tencent itself might when
 * something goes wrong, several of which echo the request URL with its UserSig:
 * - 'pass': forward to the emulator;
 * - '502': HTTP 502 with an HTML page that quotes the full request URL;
 * - 'timeout': hold the request for `holdMs` (past the node's timeout), then forward it;
 * - 'echo-url': HTTP 200, Tencent FAIL envelope (70003) whose ErrorInfo quotes the full URL;
 * - 'echo-url-retryable': the same with 91000, which the node retries;
 * - 'echo-url-encoded': ErrorInfo quotes the URL-encoded URL (as a gateway's `?url=` would);
 * - 'echo-usersig': ErrorInfo names the UserSig itself ("invalid usersig: …");
 * - 'http-400-url': HTTP 400 with a JSON body quoting the URL.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode =
	| 'pass'
	| '502'
	| 'timeout'
	| 'echo-url'
	| 'echo-url-retryable'
	| 'echo-url-encoded'
	| 'echo-usersig'
	| 'http-400-url';

export interface WireProxy {
	url: string;
	mode: ProxyMode;
	holdMs: number;
	/** Every usersig seen in a request URL (decoded), in order, duplicates removed. */
	readonly usersigs: Set<string>;
	/** Raw request URLs (path and query) seen. */
	readonly urls: string[];
	stop(): Promise<void>;
}

export async function startWireProxy(targetUrl: string): Promise<WireProxy> {
	const target = new URL(targetUrl);
	const agent = new http.Agent({ keepAlive: true });
	const timers = new Set<NodeJS.Timeout>();
	const proxy: WireProxy = {
		url: '',
		mode: 'pass',
		holdMs: 2_000,
		usersigs: new Set(),
		urls: [],
		stop: async () => {
			for (const t of timers) clearTimeout(t);
			agent.destroy();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};

	const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
		const upstream = http.request(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: target.host },
				agent,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => res.destroy());
		upstream.end(body);
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = req.url ?? '';
			const full = `http://${req.headers.host ?? ''}${raw}`;
			proxy.urls.push(raw);
			const usersig = new URL(raw, 'http://proxy').searchParams.get('usersig');
			if (usersig) proxy.usersigs.add(usersig);
			const body = Buffer.concat(chunks);
			const api = raw.startsWith('/v4/');
			const envelope = (code: number, info: string) =>
				JSON.stringify({ ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: info, TaskId: '' });
			const send = (status: number, type: string, text: string) => {
				res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
				res.end(text);
			};
			if (!api || proxy.mode === 'pass') return forward(req, body, res);
			switch (proxy.mode) {
				case '502':
					return send(
						502,
						'text/html',
						`<html><body><h1>502 Bad Gateway</h1><p>upstream failed for POST ${full}</p></body></html>`,
					);
				case 'timeout': {
					const timer = setTimeout(() => {
						timers.delete(timer);
						if (!res.destroyed) forward(req, body, res);
					}, proxy.holdMs);
					timers.add(timer);
					return;
				}
				case 'echo-url':
					return send(
						200,
						'application/json',
						envelope(70003, `UserSig check failed for request POST ${full}`),
					);
				case 'echo-url-retryable':
					return send(
						200,
						'application/json',
						envelope(91000, `internal error while handling ${full}`),
					);
				case 'echo-url-encoded':
					return send(
						200,
						'application/json',
						envelope(70003, `request rejected: url=${encodeURIComponent(full)}`),
					);
				case 'echo-usersig':
					return send(
						200,
						'application/json',
						envelope(70003, `invalid usersig: ${usersig ?? ''}`),
					);
				case 'http-400-url':
					return send(400, 'application/json', JSON.stringify({ error: 'bad request', url: full }));
				default:
					return forward(req, body, res);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return proxy;
}
