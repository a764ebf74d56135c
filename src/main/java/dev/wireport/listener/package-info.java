/**
 * What TCP and UDP listeners share: their life cycle under Spring, their health by name,
 * and how their meters are tagged.
 */
package dev.wireport.listener;
