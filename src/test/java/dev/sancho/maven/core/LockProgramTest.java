package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock's process, run for real on this (x86-64) machine: it lives while its stdin is open and fed, and ends on
 * EOF (exit 0) or after its silence (exit 2). The arm64 program is the same code for the other ISA (checked under
 * qemu-aarch64 when it was written); here its header and its timeout patch are checked.
 */
class LockProgramTest {
    @TempDir
    Path dir;

    Process start(int silenceSeconds) throws Exception {
        byte[] elf = LockProgram.elf("amd64", silenceSeconds).orElseThrow();
        Path exe = Files.write(dir.resolve("sancho-lock-" + silenceSeconds), elf);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        return new ProcessBuilder(exe.toString()).start();
    }

    @Test
    void itLivesWhileItsStdinIsFedAndEndsWithExit0OnEof() throws Exception {
        Process p = start(2);
        OutputStream in = p.getOutputStream();
        for (int i = 0; i < 6; i++) { // 3 s, longer than its silence: the heartbeat keeps it alive
            in.write('.');
            in.flush();
            Thread.sleep(500);
            assertTrue(p.isAlive(), "ended after " + i + " heartbeats");
        }
        in.close(); // the holder is gone
        assertTrue(p.waitFor(2, TimeUnit.SECONDS), "still running after EOF");
        assertEquals(0, p.exitValue());
    }

    @Test
    void withoutAHeartbeatItEndsWithExit2AfterItsSilence() throws Exception {
        long t = System.nanoTime();
        Process p = start(1);
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "still running after its silence");
        assertEquals(2, p.exitValue());
        assertTrue(System.nanoTime() - t > 900_000_000L, "ended before its silence was up");
        p.getOutputStream().close();
    }

    @Test
    void theArm64ProgramIsAnAarch64ExecutableWithItsTimeoutPatchedIn() {
        byte[] elf = LockProgram.elf("arm64", LockProgram.SILENCE_SECONDS).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F', 2, 1}, java.util.Arrays.copyOf(elf, 6));
        assertEquals(183, b.getShort(18)); // EM_AARCH64
        assertEquals(0x400000 + 120, b.getLong(24)); // entry: right after the headers
        int movz = b.getInt(120 + 0x0c);
        assertEquals(0xD2800001 | (LockProgram.SILENCE_SECONDS << 5), movz); // movz x1, #SILENCE
        assertEquals(elf.length, (int) b.getLong(64 + 32)); // one segment: the whole file
        assertEquals(62, ByteBuffer.wrap(LockProgram.elf("x86_64", 20).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN)
                .getShort(18));
        assertEquals(Optional.empty(), LockProgram.elf("s390x", 20));
        assertEquals(Optional.empty(), LockProgram.elf(null, 20));
    }

    @Test
    void theImageTagIsTheProgramsDigestSoAChangedProgramIsANewImage() {
        String a = LockProgram.imageTag(LockProgram.elf("amd64", 20).orElseThrow());
        String b = LockProgram.imageTag(LockProgram.elf("amd64", 21).orElseThrow());
        assertTrue(a.matches("sancho-lock:[0-9a-f]{12}"), a);
        assertTrue(!a.equals(b));
        assertEquals("FROM scratch\nCOPY sancho-lock /sancho-lock\nENTRYPOINT [\"/sancho-lock\"]\n",
                LockProgram.dockerfile());
    }
}
