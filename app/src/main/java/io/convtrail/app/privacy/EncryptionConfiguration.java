package io.convtrail.app.privacy;

import io.convtrail.api.privacy.ConversationKeys;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Conversation keys for the aggregate (sealing) and every reader (opening). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EncryptionProperties.class, RetentionProperties.class})
public class EncryptionConfiguration {

    /** Takes a JdbcTemplate so that it is made after the migrations ran (it checks the master key's fingerprint). */
    @Bean
    ConversationKeys conversationKeys(JdbcTemplate migrated, EncryptionProperties properties, Environment environment) {
        JdbcConversationKeys keys = new JdbcConversationKeys(JdbcClient.create(migrated),
                MasterKeys.resolve(properties, environment).orElse(null), properties.enabled(), properties);
        keys.checkMasterKey();
        return keys;
    }
}
