package dev.wireport.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * The {@code /go} handler, bound from {@code wireport.web.go.*}.
 *
 * @param maxBodySize larger request bodies get 413
 * @param logBodyBytes how much of a body the request log line shows
 * @param logRate the most requests logged per second, the others counted in one line (0
 * for no limit)
 */
@ConfigurationProperties("wireport.web.go")
public record GoProperties(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("256B") DataSize logBodyBytes,
		@DefaultValue("100") int logRate) {

	public GoProperties {
		if (maxBodySize.toBytes() < 0 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
			throw new InvalidConfigurationPropertyValueException("wireport.web.go.max-body-size", maxBodySize,
					"must be between 0B and 2GB");
		}
		if (logBodyBytes.toBytes() < 0 || logBodyBytes.toBytes() > 1024 * 1024) {
			throw new InvalidConfigurationPropertyValueException("wireport.web.go.log-body-bytes", logBodyBytes,
					"must be between 0B and 1MB");
		}
		if (logRate < 0) {
			throw new InvalidConfigurationPropertyValueException("wireport.web.go.log-rate", logRate,
					"must be a number of lines per second, or 0 for no limit");
		}
	}

}
