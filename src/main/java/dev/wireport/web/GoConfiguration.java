package dev.wireport.web;

import dev.wireport.payload.Instance;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;

/**
 * {@code /go} as a Spring MVC functional endpoint: every method on exactly that path goes
 * to {@link GoHandler}. The route's pattern names its requests in the
 * {@code http.server.requests} observation ({@code uri="/go"}).
 */
@Configuration(proxyBeanMethods = false)
class GoConfiguration {

	@Bean
	RouterFunction<ServerResponse> goRoute(GoProperties properties, Instance instance) {
		return RouterFunctions.route(RequestPredicates.path("/go"), new GoHandler(properties, instance));
	}

	/**
	 * Asks the functional routes first. The actuator's mapping of the probe paths on the
	 * main port ({@code /livez}, {@code /readyz}) is asked before them otherwise, and it
	 * finds that a {@code /go} request is none of its paths only after parsing the
	 * request's {@code Accept} header against their media types, every time.
	 * @return the post-processor that orders the routes' handler mapping
	 */
	@Bean
	static BeanPostProcessor routesFirst() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof RouterFunctionMapping routes) {
					routes.setOrder(Ordered.HIGHEST_PRECEDENCE);
				}
				return bean;
			}

		};
	}

}
