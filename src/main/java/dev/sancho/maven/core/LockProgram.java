package dev.sancho.maven.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The process of the deploy lock container: a static Linux program of ~130 bytes of machine code that reads its
 * stdin and exits when that ends (exit 0: its holder's connection closed, however the holder ended) or when nothing
 * came for {@link #SILENCE_SECONDS} (exit 2: a holder whose machine vanished sends no EOF, but no heartbeat either).
 * Nothing else: no shell, no libc, so the image is {@code FROM scratch} plus this file, built on the engine itself
 * (no registry, and none of the stack's images, which may be distroless, is needed).
 *
 * <p>The code, assembled with GNU as (sources in the comments), for the engine's architecture:
 * <pre>
 *   sub  sp, 128                      ; a scratch area
 * loop:
 *   pollfd{fd 0, POLLIN}; timespec{SILENCE, 0}
 *   ppoll(&amp;pollfd, 1, &amp;timespec, NULL, 0)
 *   -EINTR -&gt; loop; 0 (timed out) -&gt; exit 2; &lt; 0 -&gt; exit 1
 *   read(0, buf, 64): &gt; 0 -&gt; loop; -EINTR -&gt; loop; 0 (EOF) -&gt; exit 0; &lt; 0 -&gt; exit 1
 * </pre>
 */
final class LockProgram {
    /** How long the lock outlives a holder that sends nothing (its machine gone without closing the connection). */
    static final int SILENCE_SECONDS = 20;

    private LockProgram() {}

    /*
     * x86-64 (ppoll = 271, read = 0, exit_group = 231). The timeout is the imm32 of
     * "movq $SILENCE, 8(%rsp)" at offset 0x1b.
     *   sub $128,%rsp; loop: movl $0,(%rsp); movl $1,4(%rsp); movq $SILENCE,8(%rsp); movq $0,16(%rsp);
     *   mov $271,%eax; mov %rsp,%rdi; mov $1,%esi; lea 8(%rsp),%rdx; xor %r10d,%r10d; xor %r8d,%r8d; syscall;
     *   cmp $-4,%rax; je loop; test %rax,%rax; jz silent; js fail; xor %eax,%eax; xor %edi,%edi;
     *   lea 32(%rsp),%rsi; mov $64,%edx; syscall; cmp $-4,%rax; je loop; test %rax,%rax; jg loop; js fail;
     *   xor %edi,%edi; jmp out; silent: mov $2,%edi; jmp out; fail: mov $1,%edi; out: mov $231,%eax; syscall
     */
    private static final String AMD64 = "4881ec80000000c7042400000000c74424040100000048c744240834120000"
            + "48c744241000000000b80f0100004889e7be01000000488d5424084531d24531c00f054883f8fc74bf4885c07423"
            + "782831c031ff488d742420ba400000000f054883f8fc74a24885c07f9d780b31ffeb0cbf02000000eb05bf0100"
            + "0000b8e70000000f05";
    private static final int AMD64_SILENCE_AT = 0x1b;

    /*
     * AArch64 (ppoll = 73, read = 63, exit_group = 94). The timeout is the imm16 of "movz x1, #SILENCE" at 0x0c.
     *   sub sp,sp,#128; loop: movz x0,#1,lsl #32; str x0,[sp]; movz x1,#SILENCE; str x1,[sp,#8]; str xzr,[sp,#16];
     *   mov x0,sp; mov x1,#1; add x2,sp,#8; mov x3,#0; mov x4,#0; mov x8,#73; svc #0; cmn x0,#4; b.eq loop;
     *   cbz x0,silent; tbnz x0,#63,fail; mov x0,#0; add x1,sp,#32; mov x2,#64; mov x8,#63; svc #0; cmn x0,#4;
     *   b.eq loop; cmp x0,#0; b.gt loop; b.lt fail; mov x0,#0; b out; silent: mov x0,#2; b out;
     *   fail: mov x0,#1; out: mov x8,#94; svc #0
     */
    private static final String ARM64 = "ff0302d12000c0d2e00300f9814682d2e10700f9ff0b00f9e0030091210080d2"
            + "e2230091030080d2040080d2280980d2010000d41f1000b160feff54c00100b4e001f8b7000080d2e1830091020880d2"
            + "e80780d2010000d41f1000b140fdff541f0000f10cfdff54ab000054000080d204000014400080d202000014200080d2"
            + "c80b80d2010000d4";
    private static final int ARM64_SILENCE_AT = 0x0c;

    private static final long BASE = 0x400000;
    private static final int HEADERS = 64 + 56;

    /** The program as a static ELF executable, for Docker's architecture name, or empty for another one. */
    static Optional<byte[]> elf(String arch, int silenceSeconds) {
        if (silenceSeconds < 1 || silenceSeconds > 0xffff) {
            throw new IllegalArgumentException("silence " + silenceSeconds);
        }
        if ("amd64".equals(arch) || "x86_64".equals(arch)) {
            byte[] code = HexFormat.of().parseHex(AMD64);
            ByteBuffer.wrap(code, AMD64_SILENCE_AT, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(silenceSeconds);
            return Optional.of(elf(62, code));
        }
        if ("arm64".equals(arch) || "aarch64".equals(arch)) {
            byte[] code = HexFormat.of().parseHex(ARM64);
            int movz = 0xD2800001 | (silenceSeconds << 5); // movz x1, #imm16
            ByteBuffer.wrap(code, ARM64_SILENCE_AT, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(movz);
            return Optional.of(elf(183, code));
        }
        return Optional.empty();
    }

    /** One ELF header, one loadable read+execute segment (the whole file), the code right after the headers. */
    private static byte[] elf(int machine, byte[] code) {
        long size = HEADERS + code.length;
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // 64-bit, little endian
        b.putShort((short) 2); // executable
        b.putShort((short) machine);
        b.putInt(1);
        b.putLong(BASE + HEADERS); // entry
        b.putLong(64); // program headers right after this header
        b.putLong(0); // no section headers
        b.putInt(0);
        b.putShort((short) 64);
        b.putShort((short) 56);
        b.putShort((short) 1);
        b.putShort((short) 64);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.putInt(1); // PT_LOAD
        b.putInt(5); // read + execute
        b.putLong(0);
        b.putLong(BASE);
        b.putLong(BASE);
        b.putLong(size);
        b.putLong(size);
        b.putLong(0x1000);
        b.put(code);
        return b.array();
    }

    /** The image's tag: its content's digest, so a changed program is a new image and an old one never answers. */
    static String imageTag(byte[] elf) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(elf);
            return "sancho-lock:" + HexFormat.of().formatHex(d).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The build context: the program and a Dockerfile that copies it into an empty image. */
    static String dockerfile() {
        return "FROM scratch\nCOPY sancho-lock /sancho-lock\nENTRYPOINT [\"/sancho-lock\"]\n";
    }

}
