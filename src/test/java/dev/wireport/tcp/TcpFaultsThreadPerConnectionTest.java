package dev.wireport.tcp;

import org.springframework.test.context.TestPropertySource;

/**
 * Every {@link TcpFaultsTest} again, with a platform thread per connection instead of the
 * event loops: a misbehaving client is cut off the same way either way.
 */
@TestPropertySource(properties = "wireport.tcp.connection-threads=platform")
class TcpFaultsThreadPerConnectionTest extends TcpFaultsTest {

}
