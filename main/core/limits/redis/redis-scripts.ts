// The Lua scripts that make the shared limits atomic: Redis runs each one whole, with no other
// command in between, so the check and the reserve of every replica are one step, as admit() is
// in one tick in memory. Registered with ioredis's defineCommand (EVALSHA, EVAL on a cache miss).
//
// Per budget scope and period, a hash {spent, reserved} in integer units of 1e-10 USD (exact sums,
// the ledger's unit; Lua's doubles hold integers exactly up to 2^53, i.e. ~$900,000 per period).
// Per tool, the sliding minute: a sorted set (entry id → arrival ms), a hash (entry id → tokens),
// the running token sum, and a sorted set of token-only entries (`<id>:<tokens>` → settle ms):
// what an answer used beyond the tokens its request's entry held, from its settle on. The sum
// counts both kinds; RPM counts only the first.
import type { Redis } from 'ioredis';

/** KEYS: n budget hashes, then the window's zset, token hash, token sum, token-only zset.
 *  ARGV: n, worst (e10; -1 = unpriced; -2 = unbounded: counted, but with no worst case, see
 *  AdmitRequest.unbounded), now ms, window ms, rpm (-1 = none), tpm (-1 = none), estimated
 *  tokens, entry id, window key ttl ms, an unbounded request's lease ms (how long it keeps other
 *  unbounded ones out if its settle never comes); then per budget: limit e10 (-1 = none: spend is
 *  still kept, so a limit set later starts from the truth), seed e10 (the
 *  ledger's total, used only when the period's key is missing; -1 = not sent), key ttl ms (the
 *  period's end + a day).
 *  Returns: ok, request wait ms, token wait ms (-1 = never fits), requests and tokens in the
 *  window, ms until its oldest request leaves, ms until its oldest entry holding tokens (of either
 *  kind) leaves (0 without a TPM); then per budget: spent, reserved (before this request), fits
 *  (1; 0; 2 = has room, but another unbounded request holds it). Or { -1 } alone,
 *  having reserved nothing, when a key is missing and its seed was not sent. */
const RESERVE = `
local n = tonumber(ARGV[1])
local worst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local win = tonumber(ARGV[4])
local rpm = tonumber(ARGV[5])
local tpm = tonumber(ARGV[6])
local est = tonumber(ARGV[7])
local id = ARGV[8]
local ttl = ARGV[9]
local lease = tonumber(ARGV[10])
local zk, hk, sk, lk = KEYS[n + 1], KEYS[n + 2], KEYS[n + 3], KEYS[n + 4]
-- A token-only entry's tokens are in its member, after the last colon.
local lateTokens = function(m) return tonumber(string.match(m, ':(%d+)$')) or 0 end

local uses = {}
local fitsAll = true
for i = 1, n do
  local k = KEYS[i]
  local a = 10 + (i - 1) * 3
  local limit = tonumber(ARGV[a + 1])
  if redis.call('EXISTS', k) == 0 then
    -- Missing and sent without a seed: nothing reserved; the caller sends again with seeds.
    if tonumber(ARGV[a + 2]) < 0 then return { -1 } end
    redis.call('HSET', k, 'spent', ARGV[a + 2], 'reserved', '0')
    redis.call('PEXPIRE', k, ARGV[a + 3])
  end
  local v = redis.call('HMGET', k, 'spent', 'reserved')
  local spent = tonumber(v[1]) or 0
  local reserved = tonumber(v[2]) or 0
  local fit = limit < 0 or (spent < limit and (worst == -1 or spent + reserved + worst <= limit))
  local busy = false
  if worst == -2 and limit >= 0 then
    -- One unbounded request at a time, while there is room after the other reservations.
    local heldUntil = tonumber(redis.call('HGET', k, 'unboundedUntil') or '0')
    busy = heldUntil > now
    fit = spent + reserved < limit and not busy
  end
  if not fit then fitsAll = false end
  uses[#uses + 1] = spent
  uses[#uses + 1] = reserved
  uses[#uses + 1] = fit and 1 or ((busy and spent + reserved < limit) and 2 or 0)
end

-- Entries leave the window once arrival + window <= now (as in rate-window.ts).
local cut = now - win
local old = redis.call('ZRANGEBYSCORE', zk, '-inf', cut)
if #old > 0 then
  local sub = 0
  for s = 1, #old, 500 do
    local chunk = {}
    for j = s, math.min(s + 499, #old) do chunk[#chunk + 1] = old[j] end
    for _, t in ipairs(redis.call('HMGET', hk, unpack(chunk))) do sub = sub + (tonumber(t) or 0) end
    redis.call('HDEL', hk, unpack(chunk))
  end
  redis.call('ZREMRANGEBYSCORE', zk, '-inf', cut)
  redis.call('DECRBY', sk, sub)
end
local lateOld = redis.call('ZRANGEBYSCORE', lk, '-inf', cut)
if #lateOld > 0 then
  local sub = 0
  for _, m in ipairs(lateOld) do sub = sub + lateTokens(m) end
  redis.call('ZREMRANGEBYSCORE', lk, '-inf', cut)
  redis.call('DECRBY', sk, sub)
end
local count = redis.call('ZCARD', zk)
local used = tonumber(redis.call('GET', sk) or '0')

local requestWait = 0
if rpm >= 0 then
  local must = count - rpm + 1
  if must > 0 then
    local e = redis.call('ZRANGE', zk, must - 1, must - 1, 'WITHSCORES')
    if e[2] then requestWait = tonumber(e[2]) + win - now end
  end
end
local tokenWait = 0
if tpm >= 0 then
  if est > tpm then
    tokenWait = -1
  elseif used + est > tpm then
    tokenWait = win
    -- Both kinds of entry in time order, oldest first: the wait is until enough have left. The
    -- 256 oldest at most (as rate-window.ts): past them, when the 256th leaves (too early, never
    -- too late), so a minute of requests settled at 0 does not hold Redis on every refusal.
    local all = redis.call('ZRANGE', zk, 0, 255, 'WITHSCORES')
    local late = redis.call('ZRANGE', lk, 0, 255, 'WITHSCORES')
    local left = used
    local i, j, walked = 1, 1, 0
    while i <= #all or j <= #late do
      local at
      if j <= #late and (i > #all or tonumber(late[j + 1]) < tonumber(all[i + 1])) then
        at = tonumber(late[j + 1])
        left = left - lateTokens(late[j])
        j = j + 2
      else
        at = tonumber(all[i + 1])
        left = left - (tonumber(redis.call('HGET', hk, all[i])) or 0)
        i = i + 2
      end
      walked = walked + 1
      if left + est <= tpm or walked == 256 then
        tokenWait = at + win - now
        break
      end
    end
  end
end

local ok = fitsAll and requestWait == 0 and tokenWait == 0
if ok then
  if worst > 0 then
    for i = 1, n do redis.call('HINCRBY', KEYS[i], 'reserved', ARGV[2]) end
  end
  if worst == -2 then
    for i = 1, n do
      if tonumber(ARGV[11 + (i - 1) * 3]) >= 0 then
        redis.call('HSET', KEYS[i], 'unbounded', id, 'unboundedUntil', now + lease)
      end
    end
  end
  redis.call('ZADD', zk, now, id)
  redis.call('HSET', hk, id, ARGV[7])
  redis.call('INCRBY', sk, ARGV[7])
  redis.call('PEXPIRE', zk, ttl)
  redis.call('PEXPIRE', hk, ttl)
  redis.call('PEXPIRE', sk, ttl)
  -- The sum counts the token-only entries too: they live as long, so it never outlives them.
  redis.call('PEXPIRE', lk, ttl)
  count = count + 1
  used = used + est
end
local first = redis.call('ZRANGE', zk, 0, 0, 'WITHSCORES')
local resetMs = 0
if first[2] then resetMs = tonumber(first[2]) + win - now end
-- The tokens remaining grow when the oldest entry holding tokens leaves: a request settled at 0
-- (refused by the provider, released) frees none. Read only for a tool with a TPM, and among the
-- 64 oldest requests (past them, the oldest request's time, as before: too early, never too late),
-- so a minute of failed requests does not make every admit walk all of them.
local tokenResetMs = 0
if tpm >= 0 then
  local firstAt
  for from = 0, 48, 16 do
    local batch = redis.call('ZRANGE', zk, from, from + 15, 'WITHSCORES')
    for j = 1, #batch, 2 do
      if (tonumber(redis.call('HGET', hk, batch[j])) or 0) > 0 then
        firstAt = tonumber(batch[j + 1])
        break
      end
    end
    if firstAt or #batch < 32 then break end
  end
  if not firstAt and count > 64 then firstAt = tonumber(first[2]) end
  local firstLate = redis.call('ZRANGE', lk, 0, 0, 'WITHSCORES')
  if firstLate[2] and (not firstAt or tonumber(firstLate[2]) < firstAt) then firstAt = tonumber(firstLate[2]) end
  if firstAt then tokenResetMs = firstAt + win - now end
end
return { ok and 1 or 0, requestWait, tokenWait, count, used, resetMs, tokenResetMs, unpack(uses) }
`;

/** KEYS: n budget hashes, then the window's zset, token hash, token sum, token-only zset.
 *  ARGV: n, minus the reserved e10, actual spent e10, entry id, actual tokens, 1 when the request
 *  was unbounded (its hold on each budget it has is let go) else 0, now ms, window ms, the
 *  entry's estimated tokens, window key ttl ms.
 *  Each token counts for one minute: an entry still in the window is lowered to the actual tokens
 *  (one gone from it, pruned or not yet, has had its minute at its estimate), and what the answer
 *  used beyond what its entry held counts from now, as a token-only entry.
 *  A period whose key is gone (expired, Redis restarted) is left alone: its next reserve seeds
 *  it from the ledger, which already holds this request's record.
 *  Returns per budget: spent, reserved after (-1, -1 when the key is gone). */
const SETTLE = `
local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
  local k = KEYS[i]
  if redis.call('EXISTS', k) == 1 then
    redis.call('HINCRBY', k, 'reserved', ARGV[2])
    redis.call('HINCRBY', k, 'spent', ARGV[3])
    if ARGV[6] == '1' and redis.call('HGET', k, 'unbounded') == ARGV[4] then
      redis.call('HDEL', k, 'unbounded', 'unboundedUntil')
    end
    local v = redis.call('HMGET', k, 'spent', 'reserved')
    out[#out + 1] = tonumber(v[1]) or 0
    out[#out + 1] = tonumber(v[2]) or 0
  else
    out[#out + 1] = -1
    out[#out + 1] = -1
  end
end
local zk, hk, sk, lk = KEYS[n + 1], KEYS[n + 2], KEYS[n + 3], KEYS[n + 4]
local actual, now, win, est = tonumber(ARGV[5]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local at = redis.call('ZSCORE', zk, ARGV[4])
local held = est
if at and tonumber(at) + win > now then
  held = tonumber(redis.call('HGET', hk, ARGV[4]) or '0')
  if actual < held then
    redis.call('HSET', hk, ARGV[4], actual)
    redis.call('INCRBY', sk, actual - held)
  end
end
if actual > held then
  redis.call('ZADD', lk, now, ARGV[4] .. ':' .. (actual - held))
  redis.call('INCRBY', sk, actual - held)
  for _, k in ipairs({ zk, hk, sk, lk }) do redis.call('PEXPIRE', k, ARGV[10]) end
end
return out
`;

type Reply = Promise<number[]>;

export interface LimitScripts {
  reserve(keys: string[], args: Array<string | number>): Reply;
  settle(keys: string[], args: Array<string | number>): Reply;
}

export function defineLimitScripts(redis: Redis): LimitScripts {
  redis.defineCommand('shimmyReserve', { lua: RESERVE });
  redis.defineCommand('shimmySettle', { lua: SETTLE });
  // defineCommand adds methods ioredis's types cannot know; with no numberOfKeys, the first
  // argument is the key count.
  const call = redis as unknown as Record<
    'shimmyReserve' | 'shimmySettle',
    (...a: Array<string | number>) => Reply
  >;
  return {
    reserve: (keys, args) => call.shimmyReserve(keys.length, ...keys, ...args),
    settle: (keys, args) => call.shimmySettle(keys.length, ...keys, ...args),
  };
}
