package org.p2pchat.bench.codec;

import java.util.LinkedHashMap;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
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
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;

/** A typical message of each type, as the 2018 program would send it. */
public final class Samples {
  /** Peers in the sample LISTPEER reply: a small network, as most replies are. */
  public static final int REPLY_PEERS = 5;

  private Samples() {}

  public static Object of(MessageType type) {
    return switch (type) {
      case REGISTER -> new Register().withPeername("alice").withHost("localhost").withPort(4000);
      case REGISTER_SUCCESS -> new RegisterSuccess();
      case REGISTER_ERROR -> new RegisterError();
      case LISTPEER_REQUEST -> new ListpeerRequest().withPeername("alice");
      case LISTPEER_REPLY -> listpeerReply(REPLY_PEERS);
      case EXIT_NETWORK -> new ExitNetwork().withPeername("alice");
      case HEARTBEAT -> new Heartbeat().withPeername("alice");
      case CHAT_REQUEST -> new ChatRequest().withPeername("alice").withHost("localhost").withPort(4000);
      case CHAT_ACCEPT -> new ChatAccept().withPeername("patchouli").withHost("localhost").withPort(40000);
      case CHAT_REFUSE -> new ChatRefuse();
      case CHAT_CONFIRM -> new ChatConfirm().withPeername("alice").withSig("A".repeat(86));
      case CHAT_MESSAGE -> new ChatMessage().withPeername("patchouli").withMessage("Hello, alice.");
      case DISCONNECT -> new Disconnect().withPeername("alice");
      case FILE_TRANSFER -> new FileTransfer().withPeername("patchouli").withFilename("notes.txt").withFilenum(2)
          .withCurnum(0).withFiledata("x".repeat(128));
      case FILE_TRANSFER_REQUEST -> new FileTransferRequest().withPeername("patchouli").withFilename("notes.txt");
      case FILE_TRANSFER_ACCEPT -> new FileTransferAccept().withPeername("alice").withFilename("notes.txt");
      case FILE_TRANSFER_REFUSE -> new FileTransferRefuse().withPeername("alice").withFilename("notes.txt");
      // A 128 KiB chunk, the size the peer sends (docs/file-transfer.md), as base64.
      case FILE_CHUNK -> new FileChunk().withPeername("alice").withTransfer("9f1c2ab04e6d7730").withIndex(0L)
          .withCrc32c(3120154938L).withData("QUJD".repeat(128 * 1024 / 3) + "QQ==");
      case FILE_ACK -> new FileAck().withPeername("patchouli").withTransfer("9f1c2ab04e6d7730").withNext(4L);
      case FILE_CANCEL -> new FileCancel().withPeername("alice").withTransfer("9f1c2ab04e6d7730")
          .withReason("cancelled");
      case MESH_HELLO -> new org.p2pchat.protocol.model.MeshHello().withPeername("alice").withSeqno(12L)
          .withInterval(2000);
      case MESH_ROUTES -> new org.p2pchat.protocol.model.MeshRoutes().withPeername("alice").withFull(false)
          .withRoutes(java.util.List.of(new org.p2pchat.protocol.model.MeshRoute().withDestination("yuuka")
              .withSeqno(7L).withMetric(1)));
      case MESH_SEQNO_REQUEST -> new org.p2pchat.protocol.model.MeshSeqnoRequest().withPeername("patchouli")
          .withDestination("yuuka").withSeqno(8L).withHoplimit(16);
      case MESH_ROUTE_REQUEST -> new org.p2pchat.protocol.model.MeshRouteRequest().withPeername("alice")
          .withOrigin("patchouli").withDestination("yuuka").withReqid(1543536000000L).withHoplimit(3).withHops(1);
      case MESH_ROUTE_REPLY -> new org.p2pchat.protocol.model.MeshRouteReply().withPeername("alice")
          .withOrigin("yuuka").withDestination("patchouli").withReqid(1543536000000L).withHoplimit(15).withHops(1)
          .withSeqno(7L);
      case MESH_DATA -> new org.p2pchat.protocol.model.MeshData().withPeername("alice").withOrigin("patchouli")
          .withDestination("yuuka").withId("3q2-7wAAAAB9AAAAAAAAAA").withAttempt(0).withHoplimit(15)
          .withMode(org.p2pchat.protocol.model.MeshData.Mode.ROUTED).withPayload("A".repeat(340));
      case MESH_ACK -> new org.p2pchat.protocol.model.MeshAck().withPeername("alice").withOrigin("yuuka")
          .withDestination("patchouli").withId("3q2-7wAAAAB9AAAAAAAAAA").withAttempt(0).withHoplimit(15)
          .withMode(org.p2pchat.protocol.model.MeshAck.Mode.ROUTED).withProof("A".repeat(86));
      // A type added later needs its sample here before it can be benchmarked.
      default -> throw new IllegalArgumentException("no sample for " + type);
    };
  }

  /** A LISTPEER reply naming {@code peers} peers, {@code peer0 .. peerN-1}, on consecutive ports. */
  public static ListpeerReply listpeerReply(int peers) {
    LinkedHashMap<String, HostPort> list = new LinkedHashMap<>();
    for (int i = 0; i < peers; i++) {
      list.put("peer" + i, new HostPort("localhost", 40000 + i));
    }
    return new ListpeerReply().withPeerlist(list);
  }
}
