package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.UpstreamClient;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link UpstreamClient}: beans whose interface, class or methods carry it are called through the named
 * upstream. Needs Spring AOP, which {@code spring-context} brings.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnClass(ProxyFactory.class)
public final class LeveeUpstreamClientAutoConfiguration {

    LeveeUpstreamClientAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    static UpstreamClientPostProcessor leveeUpstreamClientPostProcessor(ObjectProvider<Upstreams> upstreams,
            BeanFactory beans) {
        return new UpstreamClientPostProcessor(upstreams, beans);
    }
}
