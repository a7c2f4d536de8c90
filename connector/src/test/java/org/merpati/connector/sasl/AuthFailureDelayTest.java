package org.merpati.connector.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthFailureDelayTest {

    /** base delay, failures so far, expected delay */
    static Stream<Arguments> delays() {
        return Stream.of(
            Arguments.of(1000L, 1, 1000L),
            Arguments.of(1000L, 2, 2000L),
            Arguments.of(1000L, 3, 4000L),
            Arguments.of(1000L, 4, 8000L),
            Arguments.of(1000L, 5, AuthFailureDelay.MAX_MILLIS),
            Arguments.of(1000L, 1000, AuthFailureDelay.MAX_MILLIS),
            Arguments.of(0L, 7, 0L),
            Arguments.of(20_000L, 3, 20_000L));
    }

    @ParameterizedTest
    @MethodSource("delays")
    void doublesAndIsCapped(long base, int failures, long expected) {
        assertEquals(expected, AuthFailureDelay.millis(base, failures));
    }
}
