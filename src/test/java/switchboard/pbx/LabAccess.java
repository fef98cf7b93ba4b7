package switchboard.pbx;

import java.nio.file.Path;

/** The Asterisk lab ({@link Lab}) for real-PBX tests outside this package. */
public final class LabAccess {
  public static final String AMI_USER = Lab.AMI_USER;

  private LabAccess() {}

  public static void start() throws Exception {
    Lab.start();
  }

  public static void stop() throws Exception {
    Lab.stop();
  }

  public static String amiSecret() throws Exception {
    return Lab.amiSecret();
  }

  public static Path cdrFile() throws Exception {
    return Lab.cdrFile();
  }

  public static Path dir() {
    return Lab.DIR;
  }

  public static Process sipp(String... args) throws Exception {
    return Lab.sipp(args);
  }

  /** An Asterisk CLI command in the lab (e.g. {@code queue pause member PJSIP/201 queue service}); its output. */
  public static String cli(String command) throws Exception {
    return Lab.lab(java.time.Duration.ofSeconds(30), "cli", command);
  }

  public static void stop(Process p) throws InterruptedException {
    Lab.stop(p);
  }
}
