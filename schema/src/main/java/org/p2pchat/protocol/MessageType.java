package org.p2pchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.FileAck;
import org.p2pchat.protocol.model.FileCancel;
import org.p2pchat.protocol.model.FileChunk;
import org.p2pchat.protocol.model.Heartbeat;
import org.p2pchat.protocol.model.FileTransfer;
import org.p2pchat.protocol.model.FileTransferAccept;
import org.p2pchat.protocol.model.FileTransferRefuse;
import org.p2pchat.protocol.model.FileTransferRequest;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.MeshAck;
import org.p2pchat.protocol.model.MeshData;
import org.p2pchat.protocol.model.MeshHello;
import org.p2pchat.protocol.model.MeshRoutes;
import org.p2pchat.protocol.model.MeshRouteReply;
import org.p2pchat.protocol.model.MeshRouteRequest;
import org.p2pchat.protocol.model.MeshSeqnoRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;

/**
 * The registry of protocol message types (version 1 and the {@code since: 2} ones of catalog.json): wire
 * name, msgdata schema and generated class.
 *
 * <p>Adding a type is adding its schema file under {@code messages/} plus one line here (and its branch
 * in {@code message.json}, which a test checks). LISTPEER is two types on one wire name: the request
 * and the reply are told apart by the reply's {@code peerlist} field.
 */
public enum MessageType {
  REGISTER("REGISTER", "register", Register.class),
  REGISTER_SUCCESS("REGISTER_SUCCESS", "register-success", RegisterSuccess.class),
  REGISTER_ERROR("REGISTER_ERROR", "register-error", RegisterError.class),
  LISTPEER_REQUEST("LISTPEER", "listpeer-request", ListpeerRequest.class),
  LISTPEER_REPLY("LISTPEER", "listpeer-reply", ListpeerReply.class),
  EXIT_NETWORK("EXIT_NETWORK", "exit-network", ExitNetwork.class),
  HEARTBEAT("HEARTBEAT", "heartbeat", Heartbeat.class),
  CHAT_REQUEST("CHAT_REQUEST", "chat-request", ChatRequest.class),
  CHAT_ACCEPT("CHAT_ACCEPT", "chat-accept", ChatAccept.class),
  CHAT_REFUSE("CHAT_REFUSE", "chat-refuse", ChatRefuse.class),
  CHAT_CONFIRM("CHAT_CONFIRM", "chat-confirm", ChatConfirm.class),
  CHAT_MESSAGE("CHAT_MESSAGE", "chat-message", ChatMessage.class),
  DISCONNECT("DISCONNECT", "disconnect", Disconnect.class),
  FILE_TRANSFER("FILE_TRANSFER", "file-transfer", FileTransfer.class),
  FILE_TRANSFER_REQUEST("FILE_TRANSFER_REQUEST", "file-transfer-request", FileTransferRequest.class),
  FILE_TRANSFER_ACCEPT("FILE_TRANSFER_ACCEPT", "file-transfer-accept", FileTransferAccept.class),
  FILE_TRANSFER_REFUSE("FILE_TRANSFER_REFUSE", "file-transfer-refuse", FileTransferRefuse.class),
  FILE_CHUNK("FILE_CHUNK", "file-chunk", FileChunk.class),
  FILE_ACK("FILE_ACK", "file-ack", FileAck.class),
  FILE_CANCEL("FILE_CANCEL", "file-cancel", FileCancel.class),
  MESH_HELLO("MESH_HELLO", "mesh-hello", MeshHello.class),
  MESH_ROUTES("MESH_ROUTES", "mesh-routes", MeshRoutes.class),
  MESH_SEQNO_REQUEST("MESH_SEQNO_REQUEST", "mesh-seqno-request", MeshSeqnoRequest.class),
  MESH_ROUTE_REQUEST("MESH_ROUTE_REQUEST", "mesh-route-request", MeshRouteRequest.class),
  MESH_ROUTE_REPLY("MESH_ROUTE_REPLY", "mesh-route-reply", MeshRouteReply.class),
  MESH_DATA("MESH_DATA", "mesh-data", MeshData.class),
  MESH_ACK("MESH_ACK", "mesh-ack", MeshAck.class);

  /** Where the schemas live, both as {@code $id} prefix and on the classpath. */
  public static final String SCHEMA_ID_BASE = "https://p2pchat.org/schema/v1/";
  public static final String SCHEMA_CLASSPATH_BASE = "p2pchat/schema/v1/";

  private static final Map<String, List<MessageType>> BY_WIRE_NAME;
  private static final Map<Class<?>, MessageType> BY_CLASS = new HashMap<>();

  static {
    Map<String, List<MessageType>> byName = new HashMap<>();
    for (MessageType type : values()) {
      byName.computeIfAbsent(type.wireName, k -> new ArrayList<>()).add(type);
      BY_CLASS.put(type.javaType, type);
    }
    byName.replaceAll((k, v) -> List.copyOf(v));
    BY_WIRE_NAME = Collections.unmodifiableMap(byName);
  }

  private final String wireName;
  private final String schemaName;
  private final Class<?> javaType;

  MessageType(String wireName, String schemaName, Class<?> javaType) {
    this.wireName = wireName;
    this.schemaName = schemaName;
    this.javaType = javaType;
  }

  /** The {@code msgtype} string on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The generated class that holds this type's msgdata. */
  public Class<?> javaType() {
    return javaType;
  }

  /** The {@code $id} of this type's msgdata schema. */
  public String schemaId() {
    return SCHEMA_ID_BASE + "messages/" + schemaName + ".json";
  }

  /** The classpath resource of this type's msgdata schema. */
  public String schemaResource() {
    return SCHEMA_CLASSPATH_BASE + "messages/" + schemaName + ".json";
  }

  /** The type whose generated class is {@code type}, or null. */
  public static MessageType forClass(Class<?> type) {
    return BY_CLASS.get(type);
  }

  /** True if {@code msgtype} names a known type. */
  public static boolean isKnown(String msgtype) {
    return BY_WIRE_NAME.containsKey(msgtype);
  }

  /** Every wire name, each once, in declaration order. */
  public static List<String> wireNames() {
    List<String> names = new ArrayList<>();
    for (MessageType type : values()) {
      if (!names.contains(type.wireName)) {
        names.add(type.wireName);
      }
    }
    return names;
  }

  /**
   * The type a message with this {@code msgtype} and {@code msgdata} is, or null if the msgtype is unknown.
   * For LISTPEER, the reply if msgdata has a {@code peerlist} field, the request otherwise.
   */
  public static MessageType of(String msgtype, JsonNode msgdata) {
    List<MessageType> candidates = BY_WIRE_NAME.get(msgtype);
    if (candidates == null) {
      return null;
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    boolean reply = msgdata != null && msgdata.has("peerlist");
    return reply ? LISTPEER_REPLY : LISTPEER_REQUEST;
  }
}
