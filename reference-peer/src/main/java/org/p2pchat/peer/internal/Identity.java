package org.p2pchat.peer.internal;

import java.util.function.IntSupplier;
import org.p2pchat.identity.Endpoint;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Register;

/** Who this peer says it is: its name and the address it advertises. The port is read once bound. */
public final class Identity {
  private final String name;
  private final String host;
  private final IntSupplier port;
  private final Capabilities capabilities;

  public Identity(String name, String host, IntSupplier port, Capabilities capabilities) {
    this.name = name;
    this.host = host;
    this.port = port;
    this.capabilities = capabilities;
  }

  public String name() {
    return name;
  }

  /** The advertised address: where other programs send replies and messages to this peer. */
  public HostPort address() {
    return new HostPort(host, port.getAsInt());
  }

  /** Name, host and port as this peer sends them: what the handshake transcript covers. */
  Endpoint endpoint() {
    return new Endpoint(name, host, port.getAsInt());
  }

  Register register() {
    return new Register().withPeername(name).withHost(host).withPort(port.getAsInt());
  }

  ChatRequest chatRequest() {
    return new ChatRequest().withPeername(name).withHost(host).withPort(port.getAsInt())
        .withFeatures(capabilities.advertised());
  }

  ChatAccept chatAccept() {
    return new ChatAccept().withPeername(name).withHost(host).withPort(port.getAsInt())
        .withFeatures(capabilities.advertised());
  }
}
