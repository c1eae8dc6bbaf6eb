/** Entry of the CDN's `keel-sockjs.min.js`: sockjs-client as the global `KeelSockJS` (see sockjs-script-loader.ts). */
import SockJS from 'sockjs-client';

export default SockJS;
