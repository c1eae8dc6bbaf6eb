/**
 * sockjs-client as an ES module with a default export: the lazy chunk's entry. Importing the
 * CommonJS package through this file keeps the CommonJS interop helpers inside the lazy chunk
 * instead of in every page's entry chunk.
 */
import SockJS from 'sockjs-client';

export default SockJS;
