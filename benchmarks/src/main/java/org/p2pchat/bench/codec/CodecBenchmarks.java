package org.p2pchat.bench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.ValidationResult;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.sdk.Codec;
import org.p2pchat.sdk.ProtocolException;

/**
 * The codec's cost per message, one message type at a time: what a receiver pays between the last byte
 * and the handler, and what a sender pays before the first byte.
 *
 * <ul>
 *   <li>{@code decode}: bytes to the typed object, envelope and msgtype checked, schemas not applied;
 *   <li>{@code validate}: the schemas applied to an already parsed message;
 *   <li>{@code decodeValidate}: bytes to a validated typed object, what the SDK does for every message;
 *   <li>{@code encode}: a typed object to wire bytes in the 2018 program's form (the SDK's sender then
 *       validates them too, which costs about one {@code validate} more).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmarks {
  /** The message type, by enum name; overridden by the runner with the types asked for. */
  @Param({"CHAT_MESSAGE"})
  public String type;

  private Object message;
  private byte[] bytes;
  private JsonNode tree;
  private MessageValidator validator;
  private Codec validating;
  private Codec notValidating;

  @Setup
  public void setUp() throws IOException {
    message = Samples.of(MessageType.valueOf(type));
    bytes = WireJson.encode(message, WireJson.Style.PYTHON);
    tree = WireJson.mapper().readTree(bytes);
    validator = MessageValidator.create();
    validating = new Codec(validator, true, true, WireJson.Style.PYTHON);
    notValidating = new Codec(validator, false, false, WireJson.Style.PYTHON);
    // A benchmark of a message that fails would measure the failure path: refuse to start instead.
    if (!validator.validate(bytes).isValid()) {
      throw new IllegalStateException("sample " + type + " is invalid: " + validator.validate(bytes).summary());
    }
  }

  @Benchmark
  public Object decode() throws ProtocolException {
    return notValidating.decode(bytes).message();
  }

  @Benchmark
  public ValidationResult validate() {
    return validator.validate(tree);
  }

  @Benchmark
  public Object decodeValidate() throws ProtocolException {
    return validating.decode(bytes).message();
  }

  @Benchmark
  public byte[] encode() {
    return WireJson.encode(message, WireJson.Style.PYTHON);
  }
}
