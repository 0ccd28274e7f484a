package io.bulwark.functions.launch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The executable jar's start class: checks that this Java can run the app, then starts
 * {@code io.bulwark.functions.BulwarkApplication}. It alone is compiled for Java 17 (functions/pom.xml), the oldest
 * Java that Spring Boot's own launcher runs on, so that {@code java -jar bulwark.jar} on an older Java than the app's
 * says which Java it needs instead of dying of an {@code UnsupportedClassVersionError}. The application is named,
 * not referenced: code compiled for 17 cannot see classes compiled for 21.
 */
public final class Launcher {

    /** The oldest Java the app runs on: the bytecode level of everything but this class. */
    static final int REQUIRED_JAVA = 21;
    private static final String APPLICATION = "io.bulwark.functions.BulwarkApplication";

    private Launcher() {
    }

    /** Starts the app with {@code args}, or exits with status 1 and a sentence on an older Java. */
    public static void main(String[] args) throws Throwable {
        int java = Runtime.version().feature();
        if (java < REQUIRED_JAVA) {
            System.err.println(refusal(java, System.getProperty("java.home")));
            System.exit(1);
        }
        // A method handle, not reflection: whatever the app throws reaches the JVM as itself, not wrapped.
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName(APPLICATION), "main",
                MethodType.methodType(void.class, String[].class));
        main.invokeExact(args);
    }

    /** The sentence for Java {@code java} at {@code javaHome}. */
    static String refusal(int java, String javaHome) {
        return "Bulwark needs Java " + REQUIRED_JAVA + " or newer; this is Java " + java + " (" + javaHome + "). "
                + "Use bin/run, which picks a JDK " + REQUIRED_JAVA + "+, or set JAVA_HOME to one and run "
                + "$JAVA_HOME/bin/java.";
    }
}
