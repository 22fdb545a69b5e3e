/**
 * A peer server's process (bench/servers/peers.ts): one peer, nothing of the app loaded, V8's own
 * heap settings, NODE_ENV=production as the app's server processes run. Started by
 * bench/lib/server-process.ts with the peer's name in argv[2].
 */
import { serveIpc } from './ipc.js';
import { PEERS, startPeer, type Peer } from './peers.js';

const peer = process.argv[2] as Peer;
if (!PEERS.includes(peer)) throw new Error(`unknown peer ${peer}; one of ${PEERS.join(', ')}`);
const server = await startPeer(peer);
serveIpc({ [peer]: server.port }, () => server.stop());
