package org.p2pchat.mesh.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers keys for a while, bounded in size and in time (GossipSub's seen cache): a key is forgotten after
 * ttl, or earlier when more than capacity keys are newer. Times are values the caller passes in.
 */
public final class SeenCache {
  private final int capacity;
  private final long ttl;
  private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

  public SeenCache(int capacity, long ttl) {
    this.capacity = capacity;
    this.ttl = ttl;
  }

  /** Records key; true if it was not already remembered (the first sighting). */
  public boolean firstSighting(String key, long now) {
    purge(now);
    Long expiry = expiries.get(key);
    if (expiry != null) {
      return false;
    }
    expiries.put(key, now + ttl);
    if (expiries.size() > capacity) {
      Iterator<String> oldest = expiries.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  public boolean contains(String key, long now) {
    purge(now);
    return expiries.containsKey(key);
  }

  /** Forgets every key whose time is up; entries are in insertion (so expiry) order. */
  public void purge(long now) {
    Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() > now) {
        return;
      }
      it.remove();
    }
  }

  public int size() {
    return expiries.size();
  }
}
