package org.p2pchat.bench.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.ValidationResult;

/** The JMH benchmarks measure the success path: each sample is valid, and each operation gives it back. */
class CodecBenchmarksTest {

  @ParameterizedTest
  @EnumSource(MessageType.class)
  void everyOperationWorksOnTheSampleOfEveryType(MessageType type) throws Exception {
    CodecBenchmarks bench = new CodecBenchmarks();
    bench.type = type.name();
    bench.setUp();

    Object decoded = bench.decode();
    assertEquals(type.javaType(), decoded.getClass());
    assertEquals(type.javaType(), bench.decodeValidate().getClass());
    ValidationResult result = bench.validate();
    assertTrue(result.isValid(), result::summary);
    assertEquals(type, result.type());
    String wire = new String(bench.encode(), StandardCharsets.UTF_8);
    assertTrue(wire.startsWith("{\"msgtype\": \"" + type.wireName() + "\", \"msgdata\": {"), wire);
  }
}
