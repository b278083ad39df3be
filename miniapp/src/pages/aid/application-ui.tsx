/** Pieces shared by the aid application pages (not a page itself): status tag, timeline, documents. */
import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  AID_APPLICATION_EVENT_LABELS, AID_APPLICATION_STATUS_LABELS, type AidApplicationEventView, type AidApplicationStatus,
  type AidDocumentView,
} from '@union/shared';
import { aidApiUrl } from '../../api/aid-applications';
import { errorMessage, getToken } from '../../api/client';
import { Button, DateText, StatusTag as KitStatusTag, type StatusTone } from '../../components';
import { fetchProtectedFile, openLocalFile } from '../../platform/files';
import './applications.css';

const STATUS_TONE: Record<AidApplicationStatus, StatusTone> = {
  submitted: 'pending', accepted: 'pending', info_requested: 'pending', visiting: 'pending', proposed: 'pending',
  approved: 'success', rejected: 'danger', withdrawn: 'neutral',
};

/** An application's status in words with its colour (the kit's StatusTag). */
export function StatusTag({ status, id }: { status: AidApplicationStatus; id?: string }) {
  return <KitStatusTag text={AID_APPLICATION_STATUS_LABELS[status]} tone={STATUS_TONE[status]} id={id} />;
}

/** The tone of an application's status, for the kit's StatusTag / ReviewQueue cards. */
export const applicationTone = (status: AidApplicationStatus): StatusTone => STATUS_TONE[status];

/** Every step with its Asia/Shanghai time and note (question, answer, reason, visit date). */
export function Timeline({ events, idPrefix }: { events: AidApplicationEventView[]; idPrefix: string }) {
  return (
    <View className='app-timeline' id={`${idPrefix}-timeline`}>
      {events.map((e) => (
        <View className='app-step' key={e.id} data-testid={`${idPrefix}-step-${e.type}`}>
          <Text className='app-step-title'>{AID_APPLICATION_EVENT_LABELS[e.type]}</Text>
          <Text className='muted'><DateText value={e.at} />{e.actor === 'staff' ? ' · 工会' : ''}</Text>
          {e.note && <Text className='app-step-note'>{e.note}</Text>}
        </View>
      ))}
    </View>
  );
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)}MB` : `${Math.max(1, Math.round(bytes / 1024))}KB`);

/**
 * The documents of an application; each opens through the authenticated route (images inline, PDF in a viewer).
 * With `onDelete`, each document also has 删除 (the caller confirms and calls the API).
 */
export function DocumentList({ documents, idPrefix, onDelete }: { documents: AidDocumentView[]; idPrefix: string; onDelete?: (d: AidDocumentView) => void }) {
  const [opened, setOpened] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  if (!documents.length) return <View className='muted'>还没有材料</View>;
  const open = async (d: AidDocumentView) => {
    setError(null);
    try {
      const path = opened[d.id] ?? (await fetchProtectedFile(aidApiUrl(d.url), getToken()));
      setOpened({ ...opened, [d.id]: path });
      if (!d.contentType.startsWith('image/')) await openLocalFile(path, d.contentType);
    } catch (e) {
      setError(errorMessage(e));
      void Taro.showToast({ title: '文件无法打开', icon: 'none' });
    }
  };
  return (
    <View id={`${idPrefix}-documents`}>
      {documents.map((d) => (
        <View key={d.id} data-testid={`${idPrefix}-doc-${d.id}`}>
          <View className='app-doc'>
            <Text className='app-doc-name'>{d.kind === 'visit' ? '【核实照片】' : ''}{d.name}</Text>
            <Text className='muted'>{size(d.bytes)}</Text>
            <View className='btn-row app-doc-actions'>
              <Button kind='plain' size='small' id={`${idPrefix}-doc-open-${d.id}`} onClick={() => void open(d)}>查看</Button>
              {onDelete && <Button kind='danger' size='small' id={`${idPrefix}-doc-delete-${d.id}`} onClick={() => onDelete(d)}>删除</Button>}
            </View>
          </View>
          {opened[d.id] && d.contentType.startsWith('image/') && (
            <Image className='app-doc-image' mode='widthFix' src={opened[d.id]} data-testid={`${idPrefix}-doc-image-${d.id}`} />
          )}
        </View>
      ))}
      {error && <View className='field-error'>{error}</View>}
    </View>
  );
}
