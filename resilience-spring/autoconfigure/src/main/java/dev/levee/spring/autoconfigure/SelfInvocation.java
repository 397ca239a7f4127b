package dev.levee.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.Type;

/**
 * Finds, in a class's bytecode, the methods that call a guarded method of their own class: such a call on
 * {@code this} reaches the target rather than the proxy, so the upstream never sees it. Best effort: a call
 * from a lambda body is attributed to the synthetic method, and a call on another instance of the class is
 * reported too.
 */
final class SelfInvocation {

    private static final Log logger = LogFactory.getLog(SelfInvocation.class);

    private SelfInvocation() {
    }

    /** Logs one WARN naming the bean and every {@code caller -> guarded} self-invocation found. */
    static void warn(Class<?> type, String beanName, Set<Method> guarded) {
        Set<String> found = find(type, guarded);
        if (!found.isEmpty()) {
            logger.warn("@UpstreamClient bean '" + beanName + "' (" + type.getName() + ") calls guarded methods on itself,"
                    + " which bypasses the upstream (no retry, timeout, circuit or metrics for that call): " + found
                    + "; call them through the injected bean or move them to another bean");
        }
    }

    /** The {@code caller -> guarded} pairs in {@code type}'s own bytecode; empty if it cannot be read. */
    static Set<String> find(Class<?> type, Set<Method> guarded) {
        String owner = Type.getInternalName(type);
        Set<String> targets = guarded.stream().filter(m -> m.getDeclaringClass() == type)
                .map(m -> m.getName() + Type.getMethodDescriptor(m)).collect(Collectors.toSet());
        Set<String> found = new TreeSet<>();
        if (targets.isEmpty()) {
            return found;
        }
        String resource = owner + ".class";
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return found;
            }
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    String caller = name;
                    boolean callerGuarded = targets.contains(name + descriptor);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String calledOwner, String calledName, String calledDescriptor,
                                boolean isInterface) {
                            if (calledOwner.equals(owner) && !callerGuarded && !caller.equals("<init>")
                                    && targets.contains(calledName + calledDescriptor)) {
                                found.add(caller + " -> " + calledName);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (IOException | RuntimeException e) {
            logger.debug("Could not read " + resource + " to look for self-invocation", e);
        }
        return found;
    }
}
