package io.meshcast.adapter.shard;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshcast.adapter.shard.ShardedModels.Fit;
import io.meshcast.adapter.shard.ShardedModels.PublishedFit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Fits published as ConfigMaps: each owner writes its fits, sorted by series id and gzipped, into
 * {@code meshcast-fits-<identity>-<n>} (as many as needed to stay under
 * {@value #CHUNK_BYTES} bytes each, well within the 1 MiB object limit), labelled with the group
 * and the owner; readers list the group's ConfigMaps. A chunk is written only when its content
 * changed, i.e. after refits, not at every sync. Why ConfigMaps and not a peer-to-peer route:
 * docs/sharding.md.
 *
 * <p>Not thread-safe: called from the shard thread only. Blocking (Kubernetes API calls).
 */
final class FitStore {

  static final String OWNER_LABEL = "meshcast.io/shard-owner";
  static final String KEY = "fits.gz";
  /** raw bytes per chunk; gzip never grows them by more than a few bytes, base64 by a third */
  static final int CHUNK_BYTES = 640 * 1024;
  private static final int MAGIC = 0x4d534631; // "MSF1"

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final String group;
  /** what this replica last wrote, by ConfigMap name (to skip unchanged chunks) */
  private final Map<String, byte[]> written = new HashMap<>();
  /** resourceVersion of each ConfigMap this replica last read */
  private final Map<String, String> readVersions = new HashMap<>();
  private long bytesPublished;

  FitStore(KubernetesClient client, String namespace, String identity, String group) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.group = group;
  }

  String prefix() {
    return "meshcast-fits-" + identity + "-";
  }

  /**
   * Writes this replica's fits (all of them: a series no longer owned disappears), skipping
   * chunks identical to what was last written unless {@code force}; deletes surplus chunks.
   *
   * @return the number of ConfigMaps written
   */
  int publish(Map<String, Fit> fits, boolean force) {
    List<byte[]> chunks = encode(new TreeMap<>(fits));
    int writes = 0;
    var maps = client.configMaps().inNamespace(namespace);
    for (int i = 0; i < chunks.size(); i++) {
      String name = prefix() + i;
      byte[] raw = chunks.get(i);
      if (!force && Arrays.equals(written.get(name), raw)) {
        continue;
      }
      ConfigMap cm = new ConfigMapBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace)
              .addToLabels(LeaseMembership.GROUP_LABEL, group).addToLabels(OWNER_LABEL, identity)
          .endMetadata()
          .addToBinaryData(KEY, Base64.getEncoder().encodeToString(gzip(raw)))
          .build();
      ConfigMap existing = maps.withName(name).get();
      if (existing == null) {
        maps.resource(cm).create();
      } else {
        cm.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        maps.resource(cm).update();
      }
      written.put(name, raw);
      bytesPublished += raw.length;
      writes++;
    }
    for (int i = chunks.size(); written.containsKey(prefix() + i); i++) {
      maps.withName(prefix() + i).delete();
      written.remove(prefix() + i);
    }
    return writes;
  }

  /**
   * Reads the fits other live replicas published in ConfigMaps changed since the last call (or
   * all of them when {@code all}).
   */
  Map<String, PublishedFit> readChanged(Collection<String> liveOwners, boolean all) {
    Map<String, PublishedFit> out = new HashMap<>();
    Set<String> present = new HashSet<>();
    for (ConfigMap cm : client.configMaps().inNamespace(namespace)
        .withLabel(LeaseMembership.GROUP_LABEL, group).list().getItems()) {
      String name = cm.getMetadata().getName();
      String owner = cm.getMetadata().getLabels() == null ? null
          : cm.getMetadata().getLabels().get(OWNER_LABEL);
      present.add(name);
      if (owner == null || owner.equals(identity) || !liveOwners.contains(owner)) {
        continue;
      }
      String version = cm.getMetadata().getResourceVersion();
      if (!all && version != null && version.equals(readVersions.get(name))) {
        continue;
      }
      String data = cm.getBinaryData() == null ? null : cm.getBinaryData().get(KEY);
      if (data == null) {
        continue;
      }
      decode(gunzip(Base64.getDecoder().decode(data)), owner, out);
      readVersions.put(name, version);
    }
    readVersions.keySet().retainAll(present);
    return out;
  }

  /** Deletes the fit ConfigMaps of owners that are not live (crashed replicas). */
  int collect(Collection<String> liveOwners) {
    int deleted = 0;
    for (ConfigMap cm : client.configMaps().inNamespace(namespace)
        .withLabel(LeaseMembership.GROUP_LABEL, group).list().getItems()) {
      String owner = cm.getMetadata().getLabels().get(OWNER_LABEL);
      if (owner != null && !liveOwners.contains(owner)) {
        client.configMaps().inNamespace(namespace).withName(cm.getMetadata().getName()).delete();
        deleted++;
      }
    }
    return deleted;
  }

  /** Deletes this replica's ConfigMaps (clean shutdown). */
  void deleteOwn() {
    client.configMaps().inNamespace(namespace).withLabel(OWNER_LABEL, identity).delete();
    written.clear();
  }

  long bytesPublished() {
    return bytesPublished;
  }

  static List<byte[]> encode(TreeMap<String, Fit> fits) {
    List<byte[]> chunks = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeInt(MAGIC);
      for (Map.Entry<String, Fit> e : fits.entrySet()) {
        if (bytes.size() > 4 && bytes.size() + e.getValue().bytes().length > CHUNK_BYTES) {
          out.flush();
          chunks.add(bytes.toByteArray());
          bytes.reset();
          out.writeInt(MAGIC);
        }
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue().version());
        out.writeInt(e.getValue().bytes().length);
        out.write(e.getValue().bytes());
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    if (bytes.size() > 4 || chunks.isEmpty()) {
      chunks.add(bytes.toByteArray());
    }
    return chunks;
  }

  static void decode(byte[] raw, String owner, Map<String, PublishedFit> into) {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
    try {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a meshcast fit chunk (or another version's)");
      }
      while (in.available() > 0) {
        String id = in.readUTF();
        long version = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
          throw new IOException("fit of " + id + " claims " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        into.put(id, new PublishedFit(owner, version, b));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt fits from " + owner + ": " + e.getMessage(), e);
    }
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) {
    try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return z.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt fit ConfigMap: " + e.getMessage(), e);
    }
  }
}
