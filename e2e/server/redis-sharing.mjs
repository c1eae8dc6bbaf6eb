// What several server processes share through one Redis (issue 15): the resume store, so that a
// session resumes on any process, and the chat (redis-chat-rooms.mjs). Pass both to startKeelServer.
import { RedisStore } from '@keel/server/redis';
import { Redis } from 'ioredis';
import { RedisChatRooms } from './redis-chat-rooms.mjs';

/**
 * Connects to `url` (redis://host:port) with two connections: commands, and the chat's channel.
 * @param {string} url
 * @param {(line: string) => void} [log] receives store write failures; default none.
 */
export async function connectRedisSharing(url, log = () => {}) {
  const redis = new Redis(url);
  const subscriber = new Redis(url);
  const chat = new RedisChatRooms(redis, subscriber);
  await chat.ready;
  const resumeStore = new RedisStore(redis, { onError: (error) => log(`resume store: ${error?.message ?? error}`) });
  return {
    chat,
    resumeStore,
    /** Closes both connections (the data stays in Redis for the other processes). */
    close: () => {
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}
