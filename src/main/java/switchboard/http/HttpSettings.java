package switchboard.http;

import switchboard.common.SettingsReader;

/** Where the API listens and the bearer token it accepts ({@code switchboard.http}). */
public record HttpSettings(String host, int port, String apiToken) {

  public static HttpSettings read(SettingsReader r) {
    return new HttpSettings(r.string("host"), r.intIn("port", 0, 65535), r.secret("api-token", "api-token-file"));
  }

  public HttpSettings withApiToken(String token) {
    return new HttpSettings(host, port, token);
  }

  @Override
  public String toString() { // never print the token
    return "HttpSettings[host=" + host + ", port=" + port + ", apiToken=" + (apiToken.isEmpty() ? "" : "***") + "]";
  }
}
