package dev.wireport.tcp;

import org.springframework.test.context.TestPropertySource;

/**
 * Every {@link TcpGatewayTest} again, with a platform thread per connection instead of
 * the event loops: both ways of serving a connection answer the same.
 */
@TestPropertySource(properties = "wireport.tcp.connection-threads=platform")
class TcpGatewayThreadPerConnectionTest extends TcpGatewayTest {

}
